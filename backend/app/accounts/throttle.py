"""The accounts domain's limits: password guessing and e-mails sent on anybody's request."""

from redis.asyncio import Redis

from app.core.config import Settings
from app.core.ratelimit import RateLimit


class AccountLimits:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
        # Password checks per account (login and current-password checks alike); every
        # attempt counts before the check, and a correct password clears the count.
        self.password_per_account = RateLimit(
            redis,
            "password:account",
            settings.LOGIN_MAX_FAILURES_PER_ACCOUNT,
            window,
            "Too many password attempts for this account. Try again later.",
        )
        # Failed logins per client address, against password spraying across accounts.
        self.failed_login_per_ip = RateLimit(
            redis,
            "login-failures:ip",
            settings.LOGIN_MAX_FAILURES_PER_IP,
            window,
            "Too many failed logins from your address. Try again later.",
        )
        # Requests that e-mail someone (register, resend, forgot-password): per target
        # address, counted whether or not it has an account, so a 429 reveals nothing.
        self.emails_per_address = RateLimit(
            redis,
            "emails:address",
            settings.EMAIL_REQUESTS_PER_ADDRESS,
            settings.EMAIL_REQUESTS_WINDOW_SECONDS,
            "Too many e-mails requested for this address. Try again later.",
        )
        self.emails_per_ip = RateLimit(
            redis,
            "emails:ip",
            settings.EMAIL_REQUESTS_PER_IP,
            settings.EMAIL_REQUESTS_WINDOW_SECONDS,
            "Too many requests from your address. Try again later.",
        )

    async def email_request(self, email: str, ip: str) -> None:
        await self.emails_per_ip.hit(ip)
        await self.emails_per_address.hit(email)
