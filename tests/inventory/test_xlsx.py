"""GET /stores/{store_id}/xlsx_report: a real .xlsx of the current stock, read back with
openpyxl."""

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

from httpx import AsyncClient
from openpyxl import load_workbook

from app.inventory.reports import XLSX_COLUMNS, build_xlsx
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import StockFactory, WarehouseFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "SKU",
    "Name",
    "On hand",
    "Reserved",
    "Available",
    "Unit weight (kg)",
    "Total weight (kg)",
]


async def test_the_report_is_an_xlsx_file_of_the_current_stock(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse(code="XL-1")
    mug = await make_product(sku="MUG-2", name="Mug", weight_kg="0.350")
    bag = await make_product(sku="BAG-1", name="Tote bag", weight_kg="0.125")
    await make_stock(warehouse, mug, 10, reserved=4)
    await make_stock(warehouse, bag, 3)

    response = await client.get("/api/v1/stores/xl-1/xlsx_report", headers=staff_headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["content-disposition"] == (
        f'attachment; filename="stock-XL-1-{today}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1] == ["BAG-1", "Tote bag", 3, 0, 3, 0.125, 0.375]
    assert rows[2] == ["MUG-2", "Mug", 10, 4, 6, 0.35, 3.5]
    assert rows[3] == ["Total", None, 13, 4, 9, None, 3.875]
    assert len(rows) == 4

    # A styled, frozen header, readable widths, number formats.
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    for index, (_, width) in enumerate(XLSX_COLUMNS):
        assert sheet.column_dimensions["ABCDEFG"[index]].width == width
    assert sheet["F2"].number_format == "#,##0.000"
    assert all(cell.font.bold for cell in sheet[4])


async def test_an_empty_warehouse_gives_a_header_and_a_zero_total(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    response = await client.get(
        f"/api/v1/stores/{warehouse.code}/xlsx_report", headers=staff_headers
    )
    assert response.status_code == 200
    assert re.fullmatch(
        rf'attachment; filename="stock-{warehouse.code}-\d{{4}}-\d{{2}}-\d{{2}}\.xlsx"',
        response.headers["content-disposition"],
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [HEADER, ["Total", None, 0, 0, 0, None, 0]]


def test_decimals_stay_exact_in_the_file() -> None:
    from app.inventory.reports import StockLine

    content = build_xlsx("W", [StockLine("S", "Name", 3, 0, Decimal("0.333"))])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["G2"].value == 0.999


async def test_hostile_names_stay_plain_text(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    """A name that looks like a formula is not one; a control character (only possible in
    data from before the name rules) does not break the file."""
    warehouse = await make_warehouse(code="XL-EVIL")
    formula = await make_product(sku="EVIL-1", name='=HYPERLINK("http://evil.example","x")')
    bell = await make_product(sku="EVIL-2", name="Bell\x07 ringer")
    await make_stock(warehouse, formula, 1)
    await make_stock(warehouse, bell, 1)

    response = await client.get("/api/v1/stores/XL-EVIL/xlsx_report", headers=staff_headers)

    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["B2"].value == '=HYPERLINK("http://evil.example","x")'
    assert sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "Bell ringer"
