"""Request and response models of the catalog API."""

import re
import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from app.catalog.images import media_url
from app.catalog.models import SKU_PATTERN, SLUG_PATTERN, Category, Product, ProductImage
from app.core.schemas import DecimalString, Flag, PatchIn, WholeNumber, documented_any_case_pattern


def _normalise_sku(value: str) -> str:
    value = value.upper()
    if not re.fullmatch(SKU_PATTERN, value):
        raise ValueError("a SKU is 1 to 64 of the characters A-Z, 0-9, '-', '_' and '.'")
    return value


def _normalise_slug(value: str) -> str:
    value = value.lower()
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError("a slug is lower-case letters and digits in words joined by '-'")
    # Lookups take an id or a slug: a slug that reads as an id would be ambiguous.
    try:
        uuid.UUID(value)
    except ValueError:
        return value
    raise ValueError("a slug cannot have the form of an id (a UUID)")


# No control characters in names (they break reports and exports); text keeps its line breaks.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=ONE_LINE)
]
ProductName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=ONE_LINE)
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=20_000, pattern=MULTI_LINE)
]
CategorySlug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_normalise_slug),
    documented_any_case_pattern(SLUG_PATTERN),
]
ProductSlug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_normalise_slug),
    documented_any_case_pattern(SLUG_PATTERN),
]
Sku = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_normalise_sku),
    documented_any_case_pattern(SKU_PATTERN),
]
Price = Annotated[
    Decimal, DecimalString(whole=10, places=2), Field(description="a decimal string, e.g. 19.90")
]
Weight = Annotated[
    Decimal,
    DecimalString(whole=7, places=3, positive=True),
    Field(description="kilograms, a decimal string, e.g. 0.250"),
]
Position = Annotated[int, Field(strict=True, ge=0, le=1_000_000), WholeNumber]


# --- categories ----------------------------------------------------------------------------


class CategoryRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str


class CategoryOut(CategoryRef):
    parent_id: uuid.UUID | None
    description: str
    position: int
    created_at: datetime
    updated_at: datetime


class CategoryNode(CategoryRef):
    """One category of the tree, with its subcategories ordered by position, then name."""

    parent_id: uuid.UUID | None
    description: str
    position: int
    children: list["CategoryNode"] = Field(default_factory=list)


class CategoryDetail(CategoryOut):
    path: list[CategoryRef] = Field(description="the ancestors, from the root to the parent")
    children: list[CategoryRef]


class CategoryIn(BaseModel):
    name: Name
    slug: CategorySlug | None = Field(default=None, description="made from the name when absent")
    parent_id: uuid.UUID | None = None
    description: Description = ""
    position: Position = 0


class CategoryPatch(PatchIn):
    """Renaming keeps the slug (links stay valid); `parent_id: null` moves to the top level."""

    nullable: ClassVar[frozenset[str]] = frozenset({"parent_id"})

    name: Name | None = None
    slug: CategorySlug | None = None
    parent_id: uuid.UUID | None = None
    description: Description | None = None
    position: Position | None = None


# --- products ------------------------------------------------------------------------------


class ImageOut(BaseModel):
    id: uuid.UUID
    position: int
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int
    size_bytes: int

    @classmethod
    def of(cls, image: ProductImage) -> "ImageOut":
        return cls(
            id=image.id,
            position=image.position,
            url=media_url(image.path),
            thumbnail_url=media_url(image.thumbnail_path),
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            size_bytes=image.size_bytes,
        )


class ProductOut(BaseModel):
    id: uuid.UUID
    sku: str
    slug: str
    name: str
    description: str
    price: Decimal
    weight_kg: Decimal
    category_id: uuid.UUID
    category: CategoryRef
    is_published: bool
    is_archived: bool
    images: list[ImageOut] = Field(description="ordered; the first is the primary image")
    available: int = Field(description="units that can be ordered now, over all warehouses")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(
        cls, product: Product, category: Category, images: list[ProductImage], available: int
    ) -> "ProductOut":
        return cls(
            id=product.id,
            sku=product.sku,
            slug=product.slug,
            name=product.name,
            description=product.description,
            price=product.price,
            weight_kg=product.weight_kg,
            category_id=product.category_id,
            category=CategoryRef.model_validate(category),
            is_published=product.is_published,
            is_archived=product.is_archived,
            images=[ImageOut.of(image) for image in images],
            available=available,
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


class ProductListItem(BaseModel):
    id: uuid.UUID
    sku: str
    slug: str
    name: str
    price: Decimal
    weight_kg: Decimal
    is_published: bool
    category: CategoryRef
    image_url: str | None = Field(description="the primary image, null when there is none")
    thumbnail_url: str | None
    available: int = Field(description="units that can be ordered now, over all warehouses")
    created_at: datetime


class ProductIn(BaseModel):
    sku: Sku = Field(description="upper-cased; A-Z 0-9 - _ . (the stock API's item_id)")
    slug: ProductSlug | None = Field(default=None, description="made from the name when absent")
    name: ProductName
    description: Description = ""
    price: Price
    weight_kg: Weight
    category_id: uuid.UUID
    is_published: Flag = False


class ProductPatch(PatchIn):
    """`is_archived: false` restores an archived product (unpublished)."""

    sku: Sku | None = None
    slug: ProductSlug | None = None
    name: ProductName | None = None
    description: Description | None = None
    price: Price | None = None
    weight_kg: Weight | None = None
    category_id: uuid.UUID | None = None
    is_published: Flag | None = None
    is_archived: Flag | None = None


class DeleteOutcome(StrEnum):
    DELETED = "deleted"
    ARCHIVED = "archived"


class ProductDeleted(BaseModel):
    id: uuid.UUID
    outcome: DeleteOutcome = Field(
        description="deleted, or archived when something (an order) still refers to it"
    )


class ImageOrderIn(BaseModel):
    image_ids: Annotated[list[uuid.UUID], Field(max_length=20)] = Field(
        description="every image id of the product, once each, in the new order"
    )


class ProductSort(StrEnum):
    PRICE = "price"
    PRICE_DESC = "-price"
    NAME = "name"
    NEWEST = "-created_at"
    RELEVANCE = "relevance"
