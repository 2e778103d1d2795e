"""Who the cart belongs to: the signed-in user, or the guest holding an X-Cart-Token.

A signed-in user who still sends a guest's X-Cart-Token has that guest cart merged into their
own on this request (the storefront keeps sending its token until it sees the merge): the
merge hook at login without the accounts domain knowing of carts. `POST /cart/merge` does the
same explicitly.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header

from app.accounts.dependencies import OptionalUser
from app.accounts.models import User
from app.cart import service
from app.core.db import SessionDep
from app.core.errors import ChangedMeanwhile, raises

CART_TOKEN_HEADER = "X-Cart-Token"  # noqa: S105 - a header name, not a secret

CartToken = Annotated[
    str | None,
    Header(
        alias=CART_TOKEN_HEADER,
        min_length=1,
        max_length=128,
        description="a guest's cart token (from the answer that opened the cart)",
    ),
]


@dataclass(frozen=True)
class Shopper:
    user: User | None
    token: str | None


@raises(ChangedMeanwhile)
async def get_shopper(user: OptionalUser, session: SessionDep, token: CartToken = None) -> Shopper:
    if user is not None and token:
        await service.merge_guest_cart(session, user, token)
        return Shopper(user, None)
    return Shopper(user, token)


ShopperDep = Annotated[Shopper, Depends(get_shopper)]
