"""What a storefront needs to know about the shop before anything else: its name and the
currency every price is in (product prices carry none; carts and orders repeat it)."""

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter(tags=["shop"])


class ShopOut(BaseModel):
    name: str
    currency: str


@router.get("/shop", summary="The shop's name and currency (public)")
async def read_shop(request: Request) -> ShopOut:
    settings = request.app.state.settings
    return ShopOut(name=settings.PROJECT_NAME, currency=settings.CURRENCY)
