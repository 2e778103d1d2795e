"""Settings, read only from the environment and `.env` (see `.env.example`)."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-in-production-this-default-is-public"  # noqa: S105 - refused in production
# HS256 wants a key of at least 256 bits.
MIN_SECRET_KEY_LENGTH = 32
PROJECT_ROOT = Path(__file__).resolve().parents[3]
LogFormat = Literal["json", "text"]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ApiDocs(StrEnum):
    """Who may read the API's documentation (/api/docs, /api/redoc, /api/openapi.json)."""

    PUBLIC = "public"
    STAFF = "staff"
    OFF = "off"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    ENV: Environment = Environment.DEVELOPMENT
    PROJECT_NAME: str = "OnlineShop"
    SECRET_KEY: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    LOG_LEVEL: str = "INFO"
    # json or text; unset: json when ENV=production, text otherwise.
    LOG_FORMAT: LogFormat | None = None
    # public, staff (operators and admins) or off; unset: staff when ENV=production, else
    # public. The document lists every route and parameter: a map for an attacker.
    API_DOCS: ApiDocs | None = None

    HOST: str = "127.0.0.1"
    PORT: int = 8000
    # Unset: the launcher starts the embedded servers and exports their URLs to its children.
    DATABASE_URL: str | None = None
    REDIS_URL: str | None = None
    # Starts every Redis key and channel of this shop: several shops (or test runs) can share
    # one Redis.
    REDIS_KEY_PREFIX: str = Field(default="onlineshop", pattern=r"^[A-Za-z0-9_.-]+$")
    DATABASE_POOL_SIZE: int = 10
    DATABASE_MAX_OVERFLOW: int = 20
    # How long opening a database connection may take before the request answers 503.
    DATABASE_CONNECT_TIMEOUT_SECONDS: float = Field(default=5, gt=0)
    VAR_DIR: Path = PROJECT_ROOT / "var"

    CORS_ORIGINS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    FRONTEND_URL: str = "http://127.0.0.1:8000"
    # The React build the API serves at / (with client-side routes) when it exists; `onlineshop
    # run` builds it first when it is missing or older than frontend/. nginx serves it instead
    # in the full stack.
    STOREFRONT_DIST: Path = PROJECT_ROOT / "frontend" / "dist"
    # The one currency of every price, cart and order (ISO 4217).
    CURRENCY: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"

    ACCESS_TOKEN_EXPIRE_MINUTES: int = 15
    REFRESH_TOKEN_EXPIRE_DAYS: int = 30
    EMAIL_VERIFY_TOKEN_EXPIRE_HOURS: int = 48
    PASSWORD_RESET_TOKEN_EXPIRE_MINUTES: int = 60
    # Tight limits per account and client address, loose ceilings per account: a stranger
    # must not be able to lock the owner out (accounts/throttle.py).
    LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: int = 5
    LOGIN_MAX_FAILURES_PER_IP: int = 50
    LOGIN_THROTTLE_WINDOW_SECONDS: int = 900
    LOGIN_ACCOUNT_CEILING: int = 100
    LOGIN_ACCOUNT_CEILING_WINDOW_SECONDS: int = 3600
    EMAIL_REQUESTS_PER_ADDRESS_AND_IP: int = 5
    EMAIL_REQUESTS_PER_IP: int = 30
    EMAIL_REQUESTS_WINDOW_SECONDS: int = 3600
    EMAIL_ADDRESS_CEILING: int = 10
    EMAIL_ADDRESS_CEILING_WINDOW_SECONDS: int = 900
    # Proxies trusted to say who the client is (X-Forwarded-For, X-Forwarded-Proto): uvicorn's
    # --forwarded-allow-ips. Empty (no proxy, as under `make run`): nobody is; trusting the
    # loopback address would let any local client name itself with the header.
    FORWARDED_ALLOW_IPS: str = ""

    FIRST_ADMIN_EMAIL: str | None = None
    FIRST_ADMIN_PASSWORD: SecretStr | None = None
    DEMO_PRODUCTS: int = Field(default=300, ge=0)
    DEMO_IMAGES: bool = True

    SMTP_HOST: str | None = None
    SMTP_PORT: int = 587
    SMTP_USER: str = ""
    SMTP_PASSWORD: SecretStr = SecretStr("")
    SMTP_STARTTLS: bool = True
    SMTP_SSL_TLS: bool = False
    SMTP_VALIDATE_CERTS: bool = True
    SMTP_TIMEOUT_SECONDS: int = 30
    MAIL_FROM: str = "shop@example.com"
    MAIL_FROM_NAME: str = "OnlineShop"
    EMAIL_MAX_RETRIES: int = 5
    # Exponential backoff between SMTP attempts: 5 s, 10 s, 20 s … capped, with full jitter.
    EMAIL_RETRY_BACKOFF_SECONDS: int = 5
    EMAIL_RETRY_BACKOFF_MAX_SECONDS: int = 600

    # Housekeeping, run by beat (app/worker.py). A pending (unpaid) order older than this is
    # cancelled and its stock released.
    ORDER_PAYMENT_TIMEOUT_MINUTES: int = Field(default=2880, ge=1)
    # A guest cart not changed for this long is deleted (user carts are kept).
    GUEST_CART_TTL_DAYS: int = Field(default=30, ge=1)
    # How long a checkout's Idempotency-Key replays its order; older keys are deleted.
    IDEMPOTENCY_KEY_TTL_HOURS: int = Field(default=24, ge=1)
    # A task record still pending or running this long after it was created becomes failed.
    TASK_STUCK_TIMEOUT_MINUTES: int = Field(default=30, ge=1)

    # The Celery queue the API sends its jobs to and a worker consumes when started without
    # -Q: shops (or test runs) sharing one Redis each take a queue of their own.
    CELERY_TASK_DEFAULT_QUEUE: str = Field(default="celery", pattern=r"^[A-Za-z0-9_.:-]+$")
    # Redis hands a job whose worker died before acknowledging it to another worker after this
    # long. It must stay above the longest retry countdown (EMAIL_RETRY_BACKOFF_MAX_SECONDS): a
    # retry waiting for its time is unacknowledged too, and would run twice. Unset: an hour,
    # or twice that countdown when longer.
    CELERY_VISIBILITY_TIMEOUT_SECONDS: int | None = Field(default=None, gt=0)
    # The outbox relay (in the worker): how often it looks for jobs not yet published, how long
    # it leaves a new job to the request that wrote it, the longest wait between two attempts
    # while the broker is down (1 s, 2 s, 4 s … up to this), and how long published jobs (and
    # the record of jobs run) are kept.
    OUTBOX_POLL_SECONDS: float = Field(default=1.0, gt=0)
    OUTBOX_GRACE_SECONDS: float = Field(default=10.0, ge=0)
    OUTBOX_RETRY_MAX_SECONDS: int = Field(default=60, ge=1)
    OUTBOX_KEEP_DAYS: int = Field(default=7, ge=1)

    # Uploaded product images and their thumbnails. Default: VAR_DIR/media (follows VAR_DIR).
    MEDIA_ROOT: Path = PROJECT_ROOT / "var" / "media"
    # Where MEDIA_ROOT is served: the API mounts it there; nginx serves it in the full stack.
    MEDIA_URL: str = "/media"
    MAX_IMAGE_BYTES: int = 5 * 1024 * 1024
    # Longest side of an image's thumbnail, in pixels.
    THUMBNAIL_SIZE: int = 320

    # Observability: Sentry (off without a DSN), the low-stock gauge, the worker's metrics.
    SENTRY_DSN: str | None = None
    SENTRY_TRACES_SAMPLE_RATE: float = Field(default=0.0, ge=0.0, le=1.0)
    LOW_STOCK_THRESHOLD: int = Field(default=5, ge=0)
    # The Celery worker serves its metrics (e-mails sent and failed) on this port; 0: off.
    WORKER_METRICS_PORT: int = Field(default=0, ge=0, le=65535)
    # How long an admin panel login lasts.
    ADMIN_SESSION_HOURS: int = Field(default=8, ge=1)

    @field_validator("CORS_ORIGINS", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator(
        "DATABASE_URL",
        "REDIS_URL",
        "SMTP_HOST",
        "FIRST_ADMIN_EMAIL",
        "LOG_FORMAT",
        "API_DOCS",
        "SENTRY_DSN",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Self:
        secret = self.SECRET_KEY.get_secret_value()
        if self.ENV is Environment.PRODUCTION and (
            secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH
        ):
            raise ValueError(
                f"SECRET_KEY must be a secret of at least {MIN_SECRET_KEY_LENGTH} characters"
                " when ENV=production"
            )
        return self

    @model_validator(mode="after")
    def _visibility_outlasts_retries(self) -> Self:
        timeout = self.CELERY_VISIBILITY_TIMEOUT_SECONDS
        if timeout is not None and timeout <= self.EMAIL_RETRY_BACKOFF_MAX_SECONDS:
            raise ValueError(
                "CELERY_VISIBILITY_TIMEOUT_SECONDS must be longer than "
                "EMAIL_RETRY_BACKOFF_MAX_SECONDS, or a waiting retry runs twice"
            )
        return self

    @property
    def celery_visibility_timeout(self) -> int:
        if self.CELERY_VISIBILITY_TIMEOUT_SECONDS is not None:
            return self.CELERY_VISIBILITY_TIMEOUT_SECONDS
        return max(3600, 2 * self.EMAIL_RETRY_BACKOFF_MAX_SECONDS)

    @model_validator(mode="after")
    def _media_root_follows_var_dir(self) -> Self:
        if "MEDIA_ROOT" not in self.model_fields_set:
            self.MEDIA_ROOT = self.VAR_DIR / "media"
        return self

    @property
    def async_database_url(self) -> str:
        """DATABASE_URL in the form SQLAlchemy's asyncpg dialect expects."""
        if not self.DATABASE_URL:
            raise RuntimeError(
                "DATABASE_URL is not set: start the shop with `onlineshop run`, "
                "which starts an embedded PostgreSQL, or set DATABASE_URL"
            )
        return to_asyncpg_url(self.DATABASE_URL)

    @property
    def log_format(self) -> LogFormat:
        if self.LOG_FORMAT is not None:
            return self.LOG_FORMAT
        return "json" if self.ENV is Environment.PRODUCTION else "text"

    @property
    def api_docs(self) -> ApiDocs:
        if self.API_DOCS is not None:
            return self.API_DOCS
        return ApiDocs.STAFF if self.ENV is Environment.PRODUCTION else ApiDocs.PUBLIC

    @property
    def redis_url(self) -> str:
        if not self.REDIS_URL:
            raise RuntimeError(
                "REDIS_URL is not set: start the shop with `onlineshop run`, "
                "which starts an embedded Redis, or set REDIS_URL"
            )
        return self.REDIS_URL

    @property
    def outbox_dir(self) -> Path:
        return self.VAR_DIR / "outbox"


def to_asyncpg_url(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got {url.split(':', 1)[0]}://…")


@lru_cache
def get_settings() -> Settings:
    return Settings()
