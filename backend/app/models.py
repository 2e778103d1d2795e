"""Every domain's models, imported so that Alembic and the tests see the whole schema."""

from app.accounts.models import Profile, RefreshToken, User
from app.cart.models import Cart, CartItem
from app.catalog.models import Category, Product, ProductImage
from app.core.db import Base
from app.core.outbox import JobRun, OutboxJob
from app.inventory.models import InventoryTask, Stock, StockMovement, Warehouse
from app.orders.models import IdempotencyKey, Order, OrderAllocation, OrderItem

metadata = Base.metadata

__all__ = [
    "Cart",
    "CartItem",
    "Category",
    "IdempotencyKey",
    "InventoryTask",
    "JobRun",
    "Order",
    "OrderAllocation",
    "OrderItem",
    "OutboxJob",
    "Product",
    "ProductImage",
    "Profile",
    "RefreshToken",
    "Stock",
    "StockMovement",
    "User",
    "Warehouse",
    "metadata",
]
