"""The ASGI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from app.accounts.router import auth_router, users_router
from app.admin import check_admin_router, fastapi_docs_options, setup_admin, staff_docs_router
from app.cart.router import cart_router
from app.catalog.router import categories_router, products_router
from app.core import health
from app.core.config import ApiDocs, Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import register_error_handlers
from app.core.logging import configure_logging
from app.core.metrics import process_exited
from app.core.observability import setup_observability
from app.core.openapi import document_errors
from app.core.redis import create_redis
from app.core.routing import MethodNotAllowedRoute
from app.core.sentry import init_sentry
from app.core.shop_info import router as shop_router
from app.core.storefront import StorefrontFiles, is_built
from app.inventory import service as inventory_service
from app.inventory.router import (
    inventory_tasks_router,
    live_router,
    movements_router,
    stores_router,
    warehouses_router,
)
from app.orders.router import orders_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.LOG_LEVEL, settings.log_format)
    init_sentry(settings)
    # Engine and Redis client connect lazily; the lifespan only has to close them.
    engine = create_engine(settings)
    redis = create_redis(settings.redis_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await inventory_service.close_publisher()
        await redis.aclose()
        await engine.dispose()
        process_exited()

    app = FastAPI(
        title=settings.PROJECT_NAME,
        version="0.1.0",
        lifespan=lifespan,
        **fastapi_docs_options(settings.api_docs),
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.redis = redis
    # The catalog sits below the inventory: its routes get the stock they show from here.
    app.state.catalog_stock = inventory_service.catalog_stock

    if settings.CORS_ORIGINS:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.CORS_ORIGINS,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            # A storefront on another origin must read the guest cart's token.
            expose_headers=["X-Cart-Token"],
        )
    register_error_handlers(app)
    setup_observability(app, low_stock_count=inventory_service.count_low_stock)
    app.include_router(health.router)
    if settings.api_docs is ApiDocs.STAFF:
        app.include_router(staff_docs_router)
    app.include_router(shop_router, prefix=API_PREFIX)
    app.include_router(auth_router, prefix=API_PREFIX)
    app.include_router(users_router, prefix=API_PREFIX)
    app.include_router(check_admin_router, prefix=API_PREFIX)
    app.include_router(categories_router, prefix=API_PREFIX)
    app.include_router(products_router, prefix=API_PREFIX)
    app.include_router(warehouses_router, prefix=API_PREFIX)
    app.include_router(movements_router, prefix=API_PREFIX)
    app.include_router(inventory_tasks_router, prefix=API_PREFIX)
    app.include_router(stores_router, prefix=API_PREFIX)
    app.include_router(cart_router, prefix=API_PREFIX)
    app.include_router(orders_router, prefix=API_PREFIX)
    app.include_router(live_router)
    # After every route, before the mounts: a path served with other methods is a 405.
    app.router.routes.append(MethodNotAllowedRoute(app.router.routes))
    if settings.MEDIA_URL.startswith("/"):
        # Uploaded images; nginx serves the same folder in the full stack.
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        app.mount(settings.MEDIA_URL, StaticFiles(directory=settings.MEDIA_ROOT), name="media")
    setup_admin(app)
    if is_built(settings.STOREFRONT_DIST):
        # Last: every path no route above claimed.
        app.mount("/", StorefrontFiles(settings.STOREFRONT_DIST), name="storefront")
    document_errors(app)
    return app
