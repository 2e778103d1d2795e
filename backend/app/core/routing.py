"""405 Method Not Allowed with an Allow header that lists what the path really serves.

Starlette answers a known path with an unknown method from the first route whose path
matched, so its Allow names that route's methods only (GET for `/users/me`, though PATCH and
DELETE serve it too), and a mount at `/` (the storefront) takes the request before that.
"""

from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from app.core.errors import MethodNotAllowed

_ALLOW = "app.allow"


class MethodNotAllowedRoute(BaseRoute):
    """Claims an HTTP request that no route serves but some route's path matches, and answers
    405 with the methods of every route whose path matches. Put it before the mounts."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        # The router's own list: routes added later count too.
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        allow: set[str] = set()
        # Included routers' routes too; mounts and websockets have no methods.
        for route in iter_route_contexts(self.routes):
            if not route.methods:
                continue
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return Match.NONE, {}
            if match is Match.PARTIAL:
                allow |= route.methods
        return (Match.FULL, {_ALLOW: allow}) if allow else (Match.NONE, {})

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise MethodNotAllowed(scope[_ALLOW])
