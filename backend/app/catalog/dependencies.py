"""Loaders for the catalog routes, who is looking (staff see unpublished products), and the
stock view the application provides (see stock_view.py)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request

from app.accounts.dependencies import OptionalUser
from app.accounts.models import STAFF_ROLES
from app.catalog import service
from app.catalog.exceptions import CategoryNotFound, ProductNotFound
from app.catalog.models import Category, Product
from app.core.db import SessionDep
from app.core.errors import raises


async def viewer_is_staff(user: OptionalUser) -> bool:
    """True for operators and admins; False for customers and guests."""
    return user is not None and user.role in STAFF_ROLES


IsStaff = Annotated[bool, Depends(viewer_is_staff)]


def stock_view(request: Request) -> service.StockView:
    """The StockView `create_app` put on the application (the inventory's)."""
    view: service.StockView = request.app.state.catalog_stock
    return view


StockViewDep = Annotated[service.StockView, Depends(stock_view)]


# Named `ref` as in the public GET of the same path (which also takes a slug): one URL, one
# path template in the OpenAPI document. Staff's routes take the id.
CategoryId = Annotated[uuid.UUID, Path(alias="ref", description="the category's id")]
ProductId = Annotated[uuid.UUID, Path(alias="ref", description="the product's id")]


@raises(CategoryNotFound)
async def valid_category_id(category_id: CategoryId, session: SessionDep) -> Category:
    category = await service.get_category(session, category_id)
    if category is None:
        raise CategoryNotFound()
    return category


CategoryById = Annotated[Category, Depends(valid_category_id)]


@raises(ProductNotFound)
async def valid_product_id(product_id: ProductId, session: SessionDep) -> Product:
    """The product (any state: these routes are for staff) with its category and images."""
    product = await service.load_product(session, product_id)
    if product is None:
        raise ProductNotFound()
    return product


ProductById = Annotated[Product, Depends(valid_product_id)]
