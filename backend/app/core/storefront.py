"""The React storefront served by the API itself (`make run`): files of the build, and
index.html for every other path that is not the server's own, so that client-side routes
(/products/blue-shirt, /verify-email?token=…) open on reload and from e-mail links.

In the full stack nginx serves the same build at the same paths and this is not mounted.
"""

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Paths that belong to the server: an unknown one is a JSON 404, never the storefront.
SERVER_PREFIXES = ("api/", "ws/", "admin", "media/", "health", "metrics", "flower")
# A missing file of the build is a 404: a stale page asking for an old asset must not get HTML.
BUILD_PREFIXES = ("assets/",)


class StorefrontFiles(StaticFiles):
    """StaticFiles with the single-page-app fallback and cache headers for the build."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.startswith(SERVER_PREFIXES):
            # Whatever the method: the storefront's 405 would name its own GET and HEAD.
            raise HTTPException(status_code=404)
        try:
            response = await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404 or path.startswith(BUILD_PREFIXES):
                raise
            response = await super().get_response("index.html", scope)
        if path.startswith("assets/"):
            # Vite fingerprints these names: one name, one content, forever.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            # index.html names the current assets: always ask whether it changed.
            response.headers["Cache-Control"] = "no-cache"
        return response


def is_built(dist: Path) -> bool:
    return (dist / "index.html").is_file()
