"""Every domain's models, imported so that Alembic and the tests see the whole schema."""

from app.accounts.models import Profile, RefreshToken, User
from app.catalog.models import Category, Product, ProductImage
from app.core.db import Base
from app.inventory.models import InventoryTask, Stock, StockMovement, Warehouse

metadata = Base.metadata

__all__ = [
    "Category",
    "InventoryTask",
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
