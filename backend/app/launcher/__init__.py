"""The launcher behind `onlineshop run`: embedded servers, migrations, the first admin, and the
supervision of the API and the Celery worker.

Everything here is synchronous on purpose: it starts processes and waits for them. The one
database step (the admin) runs in its own `asyncio.run`.
"""

import contextlib
import errno
import os
import socket
import sys

from app.core.config import Settings
from app.launcher.admin import (
    AdminLogin,
    AdminSource,
    create_admin,
    ensure_first_admin,
    first_admin_problem,
    password_problem,
)
from app.launcher.console import say
from app.launcher.demo import seed_demo_catalog
from app.launcher.services import make_revision, migrate, services
from app.launcher.storefront import ensure_storefront
from app.launcher.supervisor import SignalGate, StartupInterruptedError, Supervisor

WORKER_CONCURRENCY = 2

__all__ = [
    "SignalGate",
    "Supervisor",
    "create_admin",
    "make_revision",
    "migrate",
    "password_problem",
    "run",
    "services",
]


def probe_host(host: str) -> str:
    """Where to reach a server bound to `host` (a wildcard address means loopback)."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104


def base_url(settings: Settings) -> str:
    host = probe_host(settings.HOST)
    return f"http://[{host}]:{settings.PORT}" if ":" in host else f"http://{host}:{settings.PORT}"


def port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # Like uvicorn: a port in TIME_WAIT from the previous run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def proxy_options(settings: Settings) -> list[str]:
    """uvicorn's proxy-header options: forwarded headers from FORWARDED_ALLOW_IPS only, and
    none at all without a proxy (uvicorn's own default trusts loopback, i.e. every local
    client)."""
    if not settings.FORWARDED_ALLOW_IPS.strip():
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", settings.FORWARDED_ALLOW_IPS]


def api_command(settings: Settings) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
        "--host", settings.HOST, "--port", str(settings.PORT),
        *proxy_options(settings),
    ]  # fmt: skip


def worker_command(settings: Settings) -> list[str]:
    schedule = settings.VAR_DIR / "celery" / "beat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    return [
        sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--beat",
        f"--loglevel={settings.LOG_LEVEL.upper()}",
        f"--schedule={schedule}",
        f"--concurrency={WORKER_CONCURRENCY}",
        "--hostname=onlineshop@%h",
    ]  # fmt: skip


def banner(settings: Settings, admin: AdminLogin, *, storefront: bool) -> str:
    url = base_url(settings)
    rule = "─" * 72
    lines = [rule, f" {settings.PROJECT_NAME} is running at {url}"]
    if storefront:
        lines += [
            f"   Shop         {url}/",
            f"   Back-office  {url}/backoffice (log in as the admin below)",
        ]
    else:
        lines.append("   Shop         not built (see above); the API runs")
    lines += [
        f"   Admin panel  {url}/admin",
        f"   Swagger UI   {url}/api/docs",
        f"   ReDoc        {url}/api/redoc",
    ]
    if admin.source is AdminSource.EXISTING:
        lines += [
            "   Admin        an admin account exists already (its password is not shown again)",
            "                to set a new one: onlineshop create-admin --email E --password P",
        ]
    else:
        lines.append(f"   Admin        {admin.email}")
        if admin.source is AdminSource.GENERATED:
            lines += [
                f"   Password     {admin.password}",
                "                generated now and shown only this once: keep it",
            ]
        else:
            lines.append("   Password     the one in FIRST_ADMIN_PASSWORD (when it was created)")
    if settings.SMTP_HOST:
        lines.append(f"   E-mails      sent through {settings.SMTP_HOST}:{settings.SMTP_PORT}")
    else:
        lines.append(f"   E-mails      written to {settings.outbox_dir} (SMTP_HOST is unset)")
    lines += [" Press Ctrl-C to stop.", rule]
    return "\n".join(lines)


def run(settings: Settings) -> int:
    """Start everything, print the banner, supervise; the exit code of `onlineshop run`."""
    if problem := first_admin_problem(settings):
        say(problem)
        return 2
    if port_in_use(settings.HOST, settings.PORT):
        say(f"Port {settings.PORT} on {settings.HOST} is in use: stop what uses it or set PORT.")
        return 1
    storefront = ensure_storefront(settings.STOREFRONT_DIST)
    admin: AdminLogin | None = None
    announced = False
    with SignalGate() as gate:
        try:
            with services(settings) as found, contextlib.ExitStack() as children:
                env = {**os.environ, **found.environment()}
                if "FRONTEND_URL" not in settings.model_fields_set:
                    # E-mail links lead back to where this shop runs (PORT and HOST included).
                    env["FRONTEND_URL"] = base_url(settings)
                settings = settings.model_copy(
                    update={"DATABASE_URL": found.database_url, "REDIS_URL": found.redis_url}
                )
                migrate(found.database_url)
                admin = ensure_first_admin(settings)
                if settings.DEMO_PRODUCTS:
                    report = seed_demo_catalog(
                        settings, products=settings.DEMO_PRODUCTS, with_images=settings.DEMO_IMAGES
                    )
                    if not report.skipped:
                        say(
                            f"Loaded the demo catalog: {report.categories} categories, "
                            f"{report.products} products ({report.seconds:.1f} s)."
                        )
                gate.raising = False  # from here on, signals are polled, never raised
                if gate.stop.is_set():
                    return 0
                supervisor = Supervisor(env, gate)
                children.callback(supervisor.stop)
                say("Starting the API and the Celery worker …")
                supervisor.start("API", api_command(settings))
                supervisor.start("Celery worker", worker_command(settings))
                ready_url = base_url(settings) + "/health/ready"
                if not supervisor.wait_until_ready(ready_url, found.redis_url):
                    if gate.stop.is_set():
                        return 0
                    dead = supervisor.dead_child()
                    return supervisor.report_death(dead) if dead else 1
                say(banner(settings, admin, storefront=storefront))
                announced = True
                return supervisor.watch()
        except StartupInterruptedError:
            return 0
        finally:
            if not announced and admin is not None and admin.source is AdminSource.GENERATED:
                # The banner never came: the generated password must not be lost.
                say(f"The admin {admin.email} was created with the password {admin.password}")
            if announced:
                say("Stopped.")
