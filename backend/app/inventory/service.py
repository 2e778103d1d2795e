"""The inventory's public face: what its routers, other domains and the entry points call
(`from app.inventory import service as inventory_service`). Nothing outside the inventory
imports its other modules (an import-linter contract checks it).

The rules live in items.py (operations by SKU: supply, demand, adjust, transfer, the stock
API's operations and reports), operations.py and stock.py (the operations on product lines and
their concurrency rules), reservations.py (what orders do), warehouses.py, movements.py (the
journal), reports.py, availability.py and task_records.py; this module names what may be used.

For orders: `reserve`, `release` and `commit_sale` take a warehouse, a product id, a quantity
and the order id; each is one conditional UPDATE plus its journal row. `warehouses_by_priority`
lists where to reserve from, first to last, and `available_by_warehouse` what each can give.
When one transaction touches several stock rows, touch them in (SKU, warehouse code) order.

For the catalog, which sits below and cannot import the inventory: `catalog_stock` is the
catalog's StockView (available units, the in-stock filter, the capacity check of a heavier
product); the application hands it to the catalog.
"""

from app.inventory.availability import (
    available_by_warehouse,
    available_quantities,
    catalog_stock,
    count_low_stock,
)
from app.inventory.events import close_publisher
from app.inventory.items import (
    adjust,
    demand,
    stock_lines_out,
    store_operation,
    supply,
    transfer,
    xlsx_report,
)
from app.inventory.movements import MovementFilter, list_movements
from app.inventory.operations import clean
from app.inventory.reports import XLSX_MEDIA_TYPE, Store, store_report
from app.inventory.reservations import commit_sale, release, reserve
from app.inventory.seed import seed_demo_stock
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
    "XLSX_MEDIA_TYPE",
    "MovementFilter",
    "Store",
    "adjust",
    "available_by_warehouse",
    "available_quantities",
    "catalog_stock",
    "clean",
    "close_publisher",
    "commit_sale",
    "count_low_stock",
    "create_warehouse",
    "demand",
    "find_warehouse",
    "get_task",
    "get_warehouse",
    "list_movements",
    "list_warehouses",
    "release",
    "reserve",
    "seed_demo_stock",
    "start_weight_task",
    "stock_lines_out",
    "store_operation",
    "store_report",
    "supply",
    "transfer",
    "update_warehouse",
    "warehouse_detail",
    "warehouses_by_priority",
    "xlsx_report",
]
