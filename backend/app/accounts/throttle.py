"""The accounts domain's limits: password guessing and e-mails sent on anybody's request.

Whatever a stranger can do must not lock an account's owner out (OWASP ASVS V2.2.1), so the
tight limits are per account *and client address*: guesses from one address stop that address
only. The account-wide limits are ceilings far above what an owner ever reaches; they bound
guessing (and mail-bombing) spread over many addresses.
"""

from redis.asyncio import Redis

from app.core.config import Settings
from app.core.ratelimit import RateLimit, hit_all


def _pair(email: str, ip: str) -> str:
    return f"{email} {ip}"


class AccountLimits:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        # Password checks (login and current-password checks alike) per account and client
        # address: every attempt counts before the check, so a burst of parallel guesses
        # cannot slip past; a correct password clears the count.
        self.password_per_account_and_ip = RateLimit(
            redis,
            "password:account-ip",
            settings.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP,
            settings.LOGIN_THROTTLE_WINDOW_SECONDS,
            "Too many password attempts for this account. Try again later.",
        )
        # Wrong passwords per account from every address together: a correct password takes
        # its own attempt back but leaves the others' count, which only its window clears.
        self.password_per_account = RateLimit(
            redis,
            "password:account",
            settings.LOGIN_ACCOUNT_CEILING,
            settings.LOGIN_ACCOUNT_CEILING_WINDOW_SECONDS,
            "Too many password attempts for this account. Try again later.",
        )
        # Failed logins per client address, against password spraying across accounts.
        self.failed_login_per_ip = RateLimit(
            redis,
            "login-failures:ip",
            settings.LOGIN_MAX_FAILURES_PER_IP,
            settings.LOGIN_THROTTLE_WINDOW_SECONDS,
            "Too many failed logins from your address. Try again later.",
        )
        # Requests that e-mail someone (register, resend, forgot-password): per target
        # address (counted whether or not it has an account, so a 429 reveals nothing) and
        # client, per client, and a ceiling per target address over a short window.
        self.emails_per_address_and_ip = RateLimit(
            redis,
            "emails:address-ip",
            settings.EMAIL_REQUESTS_PER_ADDRESS_AND_IP,
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
        self.emails_per_address = RateLimit(
            redis,
            "emails:address",
            settings.EMAIL_ADDRESS_CEILING,
            settings.EMAIL_ADDRESS_CEILING_WINDOW_SECONDS,
            "Too many e-mails requested for this address. Try again later.",
        )

    async def email_request(self, email: str, ip: str) -> None:
        await hit_all(
            (self.emails_per_ip, ip),
            (self.emails_per_address_and_ip, _pair(email, ip)),
            (self.emails_per_address, email),
        )

    async def password_attempt(self, email: str, ip: str) -> None:
        """Count a password check about to run; 429 when this address, or the account as a
        whole, has had too many. The pair comes first, so that one address hammering away
        is stopped there and never fills the account's ceiling."""
        await hit_all(
            (self.password_per_account_and_ip, _pair(email, ip)),
            (self.password_per_account, email),
        )

    async def password_not_checked(self, email: str, ip: str) -> None:
        """Take back the attempt `password_attempt` counted when the password could not be
        checked (the database was down): it was no guess, and an owner who kept trying
        through an outage must not find the account locked afterwards."""
        await self.password_per_account_and_ip.release(_pair(email, ip))
        await self.password_per_account.release(email)

    async def password_accepted(self, email: str, ip: str) -> None:
        await self.password_per_account_and_ip.reset(_pair(email, ip))
        await self.password_per_account.release(email)
