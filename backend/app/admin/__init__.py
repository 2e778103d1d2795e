"""The admin panel at /admin (SQLAdmin), behind our own login; see auth.py and views.py."""

from fastapi import FastAPI

from app.admin.accounts import ACCOUNT_VIEWS
from app.admin.api_docs import fastapi_docs_options, staff_docs_router
from app.admin.auth import AdminAuth, AdminDeps, RoleAuthorization
from app.admin.catalog import CATALOG_VIEWS
from app.admin.inventory import INVENTORY_VIEWS
from app.admin.orders import ORDER_VIEWS
from app.admin.panel import ShopAdmin
from app.admin.router import check_admin_router

ADMIN_PATH = "/admin"

__all__ = [
    "ADMIN_PATH",
    "check_admin_router",
    "fastapi_docs_options",
    "setup_admin",
    "staff_docs_router",
]


def setup_admin(app: FastAPI) -> ShopAdmin:
    """Mount the panel on `app`, on the app's engine and sessions (app.state)."""
    deps = AdminDeps(
        sessionmaker=app.state.sessionmaker, redis=app.state.redis, settings=app.state.settings
    )
    auth = AdminAuth(deps)
    views = (*ACCOUNT_VIEWS, *CATALOG_VIEWS, *INVENTORY_VIEWS, *ORDER_VIEWS)
    admin = ShopAdmin(
        app,
        engine=app.state.engine,
        session_maker=app.state.sessionmaker,
        base_url=ADMIN_PATH,
        title=f"{deps.settings.PROJECT_NAME} admin",
        authentication_backend=auth,
        authorization_backend=RoleAuthorization(
            view.identity for view in views if getattr(view, "for_operators", False)
        ),
    )
    # For the views that end a user's sessions (sessions.admin_sessions), and for the API,
    # whose role and activity changes end them too (accounts' OnAccessChanged).
    admin.admin.state.admin_sessions = app.state.admin_sessions = auth.sessions
    app.state.on_access_changed = auth.sessions.end_all
    for view in views:
        # SQLAdmin configures the view class itself (its session maker among others): a
        # subclass per app keeps two apps in one process from using each other's database.
        admin.add_view(type(view.__name__, (view,), {}))
    app.state.admin = admin
    return admin
