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

_ORDER: dict[str, Any] = {
    "order_number": "ORD-000123",
    "order_link": "http://shop.example.com/orders/0b9f6d2e-3f0a-4c52-9d87-5b1e8f0c1a23",
    "lines": [
        {
            "name": "Walnut desk lamp",
            "sku": "LAMP-7",
            "quantity": 2,
            "unit_price": "39.90",
            "line_total": "79.80",
        },
        {
            "name": "Linen shade",
            "sku": "SHADE-3",
            "quantity": 1,
            "unit_price": "12.50",
            "line_total": "12.50",
        },
    ],
    "total": "92.30",
    "currency": "EUR",
}
for _name in ("order_placed", "order_paid", "order_shipped", "order_cancelled", "order_expired"):
    SAMPLE_CONTEXTS[_name] = dict(_ORDER)

BASE_CONTEXT: dict[str, Any] = {
    "shop_name": "Test Shop",
    "frontend_url": "http://shop.example.com",
}
