"""SQLAdmin's `Admin`, with no state change on a GET: actions and logout answer a GET with a
page that asks, whose button POSTs (with the CSRF token, see csrf.py); the change happens on
that POST only. Our templates (templates/) come first: they add the token to SQLAdmin's pages.
"""

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqladmin import Admin, ModelView, action
from sqladmin.templating import Jinja2Templates
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app.admin.csrf import csrf_token, same_origin_path

TEMPLATES_DIR = Path(__file__).parent / "templates"
ActionFunc = Callable[[Any, Request], Awaitable[Response]]


async def confirm_page(
    request: Request,
    templates: Jinja2Templates,
    *,
    message: str,
    button: str,
    fallback: str,
) -> Response:
    """The page that asks; its form POSTs to this same URL, query included, with the token
    and where to go afterwards (the page the user came from, if it is one of ours)."""
    back = same_origin_path(request, request.headers.get("referer"), fallback)
    context = {"title": button, "message": message, "button": button, "next": back}
    response: Response = await templates.TemplateResponse(request, "admin_confirm.html", context)
    return response


async def redirect_back(request: Request, fallback: str) -> RedirectResponse:
    """After a confirmed POST: to the form's `next`, if it is a page of this site."""
    target = (await request.form()).get("next")
    return RedirectResponse(
        same_origin_path(request, target if isinstance(target, str) else None, fallback),
        status_code=302,
    )


def confirmed_action(name: str, label: str, confirmation_message: str) -> Callable[..., Any]:
    """SQLAdmin's @action, asked on a GET and run on the POST that answers it. ShopAdmin
    refuses an action declared otherwise."""

    def wrap(func: ActionFunc) -> Any:
        @functools.wraps(func)
        async def ask_or_run(view: ModelView, request: Request) -> Response:
            if request.method == "POST":
                return await func(view, request)
            return await confirm_page(
                request,
                view.templates,
                message=confirmation_message,
                button=label,
                fallback=str(request.url_for("admin:list", identity=view.identity)),
            )

        ask_or_run._confirmed = True  # type: ignore[attr-defined]
        # No confirmation_message for SQLAdmin: its modal would ask before our page does.
        return action(name=name, label=label)(ask_or_run)

    return wrap


class ShopAdmin(Admin):
    def __init__(self, app: Starlette, **options: Any) -> None:
        super().__init__(app, templates_dir=str(TEMPLATES_DIR), **options)
        self.templates.env.globals["csrf_token"] = csrf_token
        self._allow_post("logout")

    def _allow_post(self, name: str) -> None:
        for route in self.admin.router.routes:
            if isinstance(route, Route) and route.name == name:
                route.methods = {"GET", "HEAD", "POST"}
                return
        raise LookupError(f"no admin route named {name}")

    def _handle_action_decorated_func(self, func: Any, view: Any, view_instance: Any) -> None:
        if hasattr(func, "_action") and not getattr(func, "_confirmed", False):
            raise TypeError(
                f"{func.__qualname__}: declare admin actions with confirmed_action, "
                "so that a GET (a link another site can follow) changes nothing"
            )
        super()._handle_action_decorated_func(func, view, view_instance)
        if hasattr(func, "_action"):
            self._allow_post(f"action-{view_instance.identity}-{func._slug}")

    async def logout(self, request: Request) -> Response:
        if request.method != "POST":
            return await confirm_page(
                request,
                self.templates,
                message="Log out of the admin panel?",
                button="Log out",
                fallback=str(request.url_for("admin:index")),
            )
        return await super().logout(request)
