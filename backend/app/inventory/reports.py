"""What a warehouse holds: stock lines, the stock API report, weights, and the xlsx file."""

import io
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product
from app.core.cells import cell_text
from app.inventory.models import Stock, Warehouse
from app.inventory.schemas import ReportLine, StockLineOut, StoreOut, StoreReport

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("SKU", 18),
    ("Name", 40),
    ("On hand", 11),
    ("Reserved", 11),
    ("Available", 11),
    ("Unit weight (kg)", 17),
    ("Total weight (kg)", 18),
)
WEIGHT_FORMAT = "#,##0.000"
COUNT_FORMAT = "#,##0"


@dataclass(frozen=True)
class StockLine:
    sku: str
    name: str
    on_hand: int
    reserved: int
    unit_weight_kg: Decimal

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def total_weight_kg(self) -> Decimal:
        return self.on_hand * self.unit_weight_kg


async def stock_lines(
    session: AsyncSession, warehouse_id: uuid.UUID, skus: Collection[str] | None = None
) -> list[StockLine]:
    """The warehouse's stock lines (zeroes too; only these SKUs when given), by SKU."""
    conditions = [] if skus is None else [Product.sku.in_(list(skus))]
    rows = await session.execute(
        select(Product.sku, Product.name, Stock.on_hand, Stock.reserved, Product.weight_kg)
        .join(Product, Product.id == Stock.product_id)
        .where(Stock.warehouse_id == warehouse_id, *conditions)
        .order_by(Product.sku)
    )
    return [StockLine(*row) for row in rows]


def total_weight(lines: Sequence[StockLine]) -> Decimal:
    return sum((line.total_weight_kg for line in lines), Decimal("0.000"))


def line_out(warehouse_code: str, line: StockLine) -> StockLineOut:
    return StockLineOut(
        warehouse_code=warehouse_code,
        sku=line.sku,
        name=line.name,
        on_hand=line.on_hand,
        reserved=line.reserved,
        available=line.available,
        unit_weight_kg=line.unit_weight_kg,
        total_weight_kg=line.total_weight_kg,
    )


@dataclass(frozen=True)
class Store:
    """A warehouse as the stock API addresses it: `store_id` is its code as the client wrote
    it (codes match case-insensitively; clients compare the store_id they get back with the
    one they sent)."""

    warehouse: Warehouse
    store_id: str


async def store_report(session: AsyncSession, store: Store) -> StoreOut:
    """The stock API's answer: every line's on_hand, by SKU, under the client's store_id.

    `quantity` is on_hand, what the warehouse physically holds (reserved units included):
    supplies add to it, demands take from it, so it is the sum of the accepted operations.
    """
    rows = await session.execute(
        select(Product.sku, Stock.on_hand)
        .join(Product, Product.id == Stock.product_id)
        .where(Stock.warehouse_id == store.warehouse.id)
        .order_by(Product.sku)
    )
    return StoreOut(
        store=StoreReport(
            store_id=store.store_id,
            report=[ReportLine(item_id=sku, quantity=on_hand) for sku, on_hand in rows],
        )
    )


def weight_summary(warehouse_code: str, lines: Sequence[StockLine]) -> dict[str, Any]:
    """The weight task's result, JSON-ready: decimals as strings."""
    stored = [line for line in lines if line.on_hand > 0]
    return {
        "warehouse_code": warehouse_code,
        "total_weight_kg": str(total_weight(stored)),
        "products": [
            {
                "sku": line.sku,
                "name": line.name,
                "on_hand": line.on_hand,
                "unit_weight_kg": str(line.unit_weight_kg),
                "total_weight_kg": str(line.total_weight_kg),
            }
            for line in stored
        ],
        "computed_at": datetime.now(UTC).isoformat(),
    }


def xlsx_filename(warehouse_code: str, day: date | None = None) -> str:
    return f"stock-{warehouse_code}-{(day or datetime.now(UTC).date()).isoformat()}.xlsx"


def build_xlsx(warehouse: str, lines: Sequence[StockLine]) -> bytes:
    """The stock of one warehouse as an .xlsx workbook (blocking: run it in a threadpool).

    A bold, filled, frozen header row with a filter; one row per line; a bold total row.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Stock {warehouse}"[:31]
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E78")
    rule = Side(style="thin", color="1F4E78")

    for index, (title, width) in enumerate(XLSX_COLUMNS, start=1):
        heading = sheet.cell(row=1, column=index, value=title)
        heading.font = header_font
        heading.fill = header_fill
        heading.alignment = Alignment(horizontal="left" if index <= 2 else "right")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    for line in lines:
        sheet.append(
            [
                line.sku,
                cell_text(line.name),
                line.on_hand,
                line.reserved,
                line.available,
                line.unit_weight_kg,
                line.total_weight_kg,
            ]
        )
    last = sheet.max_row
    for (name_cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=2, max_col=2):
        # Always text: a name such as =HYPERLINK(…) must not become a live formula.
        name_cell.data_type = "s"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_COLUMNS))}{last}"
    sheet.append(
        [
            "Total",
            None,
            sum(line.on_hand for line in lines),
            sum(line.reserved for line in lines),
            sum(line.available for line in lines),
            None,
            total_weight(lines),
        ]
    )
    total_row = sheet.max_row
    for row in sheet.iter_rows(min_row=2, max_row=total_row):
        for cell in row[2:5]:
            cell.number_format = COUNT_FORMAT
        for cell in row[5:7]:
            cell.number_format = WEIGHT_FORMAT
    for cell in sheet[total_row]:
        cell.font = Font(bold=True)
        cell.border = Border(top=rule)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
