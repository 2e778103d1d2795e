"""The inventory service: what its routers and other domains call
(`from app.inventory import service as inventory_service`).

The rules live in operations.py (supply, demand, adjust, transfer, clean), reservations.py
(what orders do), stock.py (their building blocks and concurrency rules), warehouses.py,
movements.py (reading the journal), reports.py and task_records.py; this module gathers them
so callers depend on one name.

For orders: `reserve`, `release`, `commit_sale` and `receive_return` take a warehouse, a
product id, a quantity and the order id; each is one conditional UPDATE plus its journal row.
`warehouses_by_priority` lists where to reserve from, first to last. When one transaction
touches several stock rows, touch them in (SKU, warehouse code) order, as this module does.
"""

from app.inventory.availability import (
    available_by_warehouse,
    available_expression,
    available_quantities,
    count_low_stock,
    in_stock_condition,
)
from app.inventory.events import publish_stock_changed
from app.inventory.movements import MovementFilter, list_movements
from app.inventory.operations import TransferredLine, adjust, clean, demand, supply, transfer
from app.inventory.reports import (
    StockLine,
    build_xlsx,
    line_out,
    stock_lines,
    store_report,
    total_weight,
    weight_summary,
    xlsx_filename,
)
from app.inventory.reservations import commit_sale, receive_return, release, reserve
from app.inventory.stock import (
    Line,
    ProductRef,
    StockLevel,
    check_weight_change,
    product_ref,
    resolve_skus,
    stored_weight,
)
from app.inventory.task_records import get_task
from app.inventory.warehouses import (
    create_warehouse,
    find_warehouse,
    get_warehouse,
    list_warehouses,
    start_weight_task,
    update_warehouse,
    warehouse_detail,
    warehouses_by_priority,
)

__all__ = [
    "Line",
    "MovementFilter",
    "ProductRef",
    "StockLevel",
    "StockLine",
    "TransferredLine",
    "adjust",
    "available_by_warehouse",
    "available_expression",
    "available_quantities",
    "build_xlsx",
    "check_weight_change",
    "clean",
    "commit_sale",
    "count_low_stock",
    "create_warehouse",
    "demand",
    "find_warehouse",
    "get_task",
    "get_warehouse",
    "in_stock_condition",
    "line_out",
    "list_movements",
    "list_warehouses",
    "product_ref",
    "publish_stock_changed",
    "receive_return",
    "release",
    "reserve",
    "resolve_skus",
    "start_weight_task",
    "stock_lines",
    "store_report",
    "stored_weight",
    "supply",
    "total_weight",
    "transfer",
    "update_warehouse",
    "warehouse_detail",
    "warehouses_by_priority",
    "weight_summary",
    "xlsx_filename",
]
