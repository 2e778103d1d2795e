"""The e-mail templates and their rendering (no I/O besides reading the templates).

Each e-mail `<name>` is three Jinja2 files under `templates/`: `<name>.subject.txt`,
`<name>.txt` (complete on its own) and `<name>.html` (extends `base.html`, autoescaped).
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.core.config import Settings

TEMPLATE_DIR: Final = Path(__file__).parent / "templates"

ORDER_KEYS: Final = frozenset({"order_number", "order_link", "lines", "total", "currency"})
# Every e-mail and the context keys its caller must give; the task adds `BASE_CONTEXT_KEYS`.
EMAIL_TEMPLATES: Final[dict[str, frozenset[str]]] = {
    "verify_email": frozenset({"link", "expires_hours"}),
    "account_exists": frozenset({"login_link", "reset_link"}),
    "password_reset": frozenset({"link", "expires_minutes"}),
    "password_changed": frozenset(),
    "email_changed": frozenset({"new_email"}),
    "confirm_email_change": frozenset({"link", "expires_hours", "new_email"}),
    # The order e-mails: `lines` is a list of {name, sku, quantity, unit_price, line_total},
    # money as decimal strings; `total` and `currency` the order's.
    "order_placed": ORDER_KEYS,
    "order_paid": ORDER_KEYS,
    "order_shipped": ORDER_KEYS,
    "order_cancelled": ORDER_KEYS,
    "order_expired": ORDER_KEYS,
}
BASE_CONTEXT_KEYS: Final = frozenset({"shop_name", "frontend_url"})

_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,  # a missing context key is an error, never an empty link
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def check_email(template: str, context: dict[str, Any], *, rendering: bool = False) -> None:
    """Raise ValueError for an unknown e-mail or a context that lacks one of its keys.

    The caller's context needs the e-mail's own keys; `rendering` also asks for the
    `BASE_CONTEXT_KEYS` that the task adds.
    """
    required = EMAIL_TEMPLATES.get(template)
    if required is None:
        known = ", ".join(sorted(EMAIL_TEMPLATES))
        raise ValueError(f"Unknown e-mail template {template!r} (known: {known})")
    if rendering:
        required = required | BASE_CONTEXT_KEYS
    missing = required - context.keys()
    if missing:
        raise ValueError(f"E-mail {template!r} needs context keys: {', '.join(sorted(missing))}")


def base_context(settings: Settings) -> dict[str, Any]:
    """What every e-mail may use: the shop's name and the storefront's address."""
    return {
        "shop_name": settings.PROJECT_NAME,
        "frontend_url": settings.FRONTEND_URL.rstrip("/"),
    }


def render_email(template: str, context: dict[str, Any]) -> RenderedEmail:
    """Render the subject, text and HTML of e-mail `template` with exactly `context`
    (which includes `shop_name` and `frontend_url`, see `base_context`)."""
    check_email(template, context, rendering=True)
    subject = _environment.get_template(f"{template}.subject.txt").render(context)
    return RenderedEmail(
        # One line, whatever the template or the context contains: no header injection.
        subject=_WHITESPACE.sub(" ", subject).strip(),
        text=_environment.get_template(f"{template}.txt").render(context),
        html=_environment.get_template(f"{template}.html").render(context),
    )
