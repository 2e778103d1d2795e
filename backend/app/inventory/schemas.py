"""Request and response models of the inventory API and of the stock API contract."""

import re
import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.core.schemas import DecimalString, Flag, PatchIn, WholeNumber, documented_any_case_pattern
from app.inventory.exceptions import DuplicateItems
from app.inventory.models import (
    WAREHOUSE_CODE_PATTERN,
    MovementKind,
    TaskKind,
    TaskStatus,
    canonical_code,
)

# The largest quantity one operation may move: PostgreSQL's integer.
MAX_QUANTITY = 2_147_483_647
MAX_ITEMS = 1000


def _normalise_code(value: str) -> str:
    value = canonical_code(value)
    if not re.fullmatch(WAREHOUSE_CODE_PATTERN, value):
        raise ValueError(
            "a warehouse code is 1 to 32 of A-Z, 0-9, '.', '_' and '-', starting with a "
            "letter or digit"
        )
    return value


WarehouseCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=32),
    AfterValidator(_normalise_code),
    documented_any_case_pattern(WAREHOUSE_CODE_PATTERN),
]
# Looked up upper-cased; an unknown one is a 404, not a validation error.
SkuRef = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=64)
]
# Strict: 10 (or 10.0) is a quantity; 0, -1, 1.5, "10" and true are not.
Quantity = Annotated[int, Field(strict=True, gt=0, le=MAX_QUANTITY), WholeNumber]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_QUANTITY), WholeNumber]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
MaxWeight = Annotated[
    Decimal,
    DecimalString(whole=9, places=3, positive=True),
    Field(description="kilograms, a decimal string, e.g. 1500.000"),
]
Money = Annotated[
    Decimal, DecimalString(whole=10, places=2), Field(description="a decimal string, e.g. 4.50")
]
Priority = Annotated[
    int, Field(strict=True, ge=0, le=1_000_000, description="0 is used first"), WholeNumber
]


def _unique_skus(skus: list[str]) -> None:
    seen: set[str] = set()
    for sku in skus:
        if sku in seen:
            raise DuplicateItems(sku)
        seen.add(sku)


# --- warehouses ----------------------------------------------------------------------------


class WarehouseIn(BaseModel):
    code: WarehouseCode = Field(
        description="stored upper-cased, matched case-insensitively; the stock API's store_id"
    )
    name: Name
    address: Address | None = None
    max_weight_kg: MaxWeight
    is_active: Flag = True
    priority: Priority = 0


class WarehousePatch(PatchIn):
    """Only the fields sent change; the code never does (clients address the store by it)."""

    nullable: ClassVar[frozenset[str]] = frozenset({"address"})

    name: Name | None = None
    address: Address | None = None
    max_weight_kg: MaxWeight | None = None
    is_active: Flag | None = None
    priority: Priority | None = None


class WarehouseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    address: str | None
    max_weight_kg: Decimal
    is_active: bool
    priority: int
    created_at: datetime
    updated_at: datetime


class StockLineOut(BaseModel):
    warehouse_code: str
    sku: str
    name: str
    on_hand: int
    reserved: int
    available: int = Field(description="on_hand - reserved: what can be demanded or reserved")
    unit_weight_kg: Decimal
    total_weight_kg: Decimal = Field(description="on_hand * unit_weight_kg")


class WarehouseDetail(WarehouseOut):
    stock: list[StockLineOut] = Field(description="every product the warehouse has a line for")
    total_weight_kg: Decimal = Field(description="the weight stored: sum of on_hand * unit weight")


# --- operations ----------------------------------------------------------------------------


class SkuQuantity(BaseModel):
    sku: SkuRef
    quantity: Quantity


class SupplyItem(SkuQuantity):
    unit_cost: Money | None = Field(default=None, description="the purchase price of one unit")


class SupplyIn(BaseModel):
    items: Annotated[list[SupplyItem], Field(min_length=1, max_length=MAX_ITEMS)]
    note: Note | None = None

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _unique_skus([item.sku for item in self.items])
        return self


class TransferIn(BaseModel):
    to_warehouse: WarehouseCode = Field(description="the code of the receiving warehouse")
    items: Annotated[list[SkuQuantity], Field(min_length=1, max_length=MAX_ITEMS)]
    note: Note | None = None

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _unique_skus([item.sku for item in self.items])
        return self


class TransferLineOut(BaseModel):
    sku: str
    quantity: int
    from_on_hand: int = Field(description="on hand in the sending warehouse afterwards")
    to_on_hand: int = Field(description="on hand in the receiving warehouse afterwards")


class TransferOut(BaseModel):
    from_warehouse: str
    to_warehouse: str
    items: list[TransferLineOut]


class AdjustIn(BaseModel):
    """A stock count: on_hand becomes `counted`; the difference is journalled with `reason`."""

    sku: SkuRef
    counted: Count
    reason: Reason


# --- the journal ---------------------------------------------------------------------------


class MovementOut(BaseModel):
    id: int
    created_at: datetime
    warehouse_code: str
    sku: str
    product_name: str
    kind: MovementKind
    quantity: int = Field(description="signed: positive in, negative out")
    quantity_after: int = Field(
        description="on_hand after the move; reserved after a reservation or release"
    )
    unit_cost: Decimal | None
    user_id: uuid.UUID | None
    user_email: str | None
    order_id: uuid.UUID | None
    note: str | None


# --- tasks ---------------------------------------------------------------------------------


class TaskCreated(BaseModel):
    task_id: uuid.UUID


class TaskOut(BaseModel):
    id: uuid.UUID
    kind: TaskKind
    status: TaskStatus
    warehouse_code: str | None
    result: dict[str, Any] | None = Field(
        description="on success the weights (decimal strings); on failure {'error': ...}"
    )
    created_at: datetime
    finished_at: datetime | None


# --- the stock API contract ----------------------------------------------------------------


class Operation(StrEnum):
    DEMAND = "demand"
    SUPPLY = "supply"


class StoreItem(BaseModel):
    item_id: SkuRef = Field(description="the product's SKU")
    quantity: Quantity


class StoreOperationIn(StoreItem):
    operation: Operation


class StoreGroupOperationIn(BaseModel):
    operation: Operation
    items: Annotated[list[StoreItem], Field(min_length=1, max_length=MAX_ITEMS)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _unique_skus([item.item_id for item in self.items])
        return self


class ReportLine(BaseModel):
    item_id: str
    quantity: int = Field(description="on hand: what the warehouse holds, reserved included")


class StoreReport(BaseModel):
    store_id: str
    report: list[ReportLine]


class StoreOut(BaseModel):
    store: StoreReport
