"""A caller's context for every e-mail, as the accounts domain would give it."""

from typing import Any

SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "verify_email": {
        "link": "http://shop.example.com/verify-email?token=verify-Tok_en-123",
        "expires_hours": 48,
    },
    "account_exists": {
        "login_link": "http://shop.example.com/login",
        "reset_link": "http://shop.example.com/forgot-password",
    },
    "password_reset": {
        "link": "http://shop.example.com/reset-password?token=reset-Tok_en-456",
        "expires_minutes": 60,
    },
    "password_changed": {},
    "email_changed": {"new_email": "new-address@example.com"},
    "confirm_email_change": {
        "link": "http://shop.example.com/verify-email?token=change-Tok_en-789",
        "expires_hours": 48,
        "new_email": "new-address@example.com",
    },
}

BASE_CONTEXT: dict[str, Any] = {
    "shop_name": "Test Shop",
    "frontend_url": "http://shop.example.com",
}
