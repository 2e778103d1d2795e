"""The API's documentation as API_DOCS says: Swagger UI at /api/docs, ReDoc at /api/redoc and
the OpenAPI document they read at /api/openapi.json.

- public: FastAPI's own routes, for anybody.
- staff: operators and admins only. Programs send their bearer access token; a browser has
  no header to send, so the admin panel's session cookie counts too: log in at /admin, then
  open /api/docs (the page fetches /api/openapi.json from the same origin, cookie included).
  Anybody else gets exactly what a path that does not exist gets, a 404 `not_found`: a 401
  would tell a stranger that the documents are there and worth a password.
- off: no routes at all, so the same 404.

The document itself never depends on this: `onlineshop openapi` builds it from the app.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from app.accounts.dependencies import oauth2_scheme
from app.accounts.exceptions import InactiveUser, InvalidAccessToken
from app.accounts.models import STAFF_ROLES, User
from app.admin.router import caller
from app.core.config import ApiDocs
from app.core.db import SessionDep

OPENAPI_URL = "/api/openapi.json"
DOCS_URL = "/api/docs"
REDOC_URL = "/api/redoc"
# Staff's documents are nobody else's: no shared cache may keep them.
PRIVATE = {"Cache-Control": "private, no-store"}


def fastapi_docs_options(mode: ApiDocs) -> dict[str, Any]:
    """FastAPI's arguments for its own documentation routes: only public ones are FastAPI's."""
    public = mode is ApiDocs.PUBLIC
    return {
        "openapi_url": OPENAPI_URL if public else None,
        "docs_url": DOCS_URL if public else None,
        "redoc_url": REDOC_URL if public else None,
    }


async def _staff_reader(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> None:
    user: User | None
    try:
        user = await caller(request, session, token)
    except (InvalidAccessToken, InactiveUser):
        user = None
    if user is None or user.role not in STAFF_ROLES:
        # Not a domain error: the answer (and body) of a path no route claims.
        raise HTTPException(status_code=404)


staff_docs_router = APIRouter(include_in_schema=False, dependencies=[Depends(_staff_reader)])


@staff_docs_router.get(OPENAPI_URL)
async def staff_openapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi(), headers=PRIVATE)


@staff_docs_router.get(DOCS_URL)
async def staff_swagger_ui(request: Request) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=OPENAPI_URL,
        title=f"{request.app.title} - Swagger UI",
        swagger_ui_parameters=request.app.swagger_ui_parameters,
    )
    page.headers.update(PRIVATE)
    return page


@staff_docs_router.get(REDOC_URL)
async def staff_redoc(request: Request) -> HTMLResponse:
    page = get_redoc_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - ReDoc")
    page.headers.update(PRIVATE)
    return page
