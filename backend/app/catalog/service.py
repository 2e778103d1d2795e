"""The catalog's public face: what its router, other domains and the entry points call
(`from app.catalog import service as catalog_service`). Nothing outside the catalog imports its
other modules (an import-linter contract checks it).

The rules live in categories.py, products.py (with images.py and slugs.py) and search.py;
this module names what may be used. Stock is the inventory's, a layer above: the functions
that need it take a `stock` (the StockView protocol, stock_view.py), which the inventory
implements and the application hands over.
"""

from app.catalog.categories import (
    category_path,
    category_tree,
    child_categories,
    create_category,
    delete_category,
    find_category,
    get_category,
    subtree_ids,
    update_category,
)
from app.catalog.images import read_upload
from app.catalog.products import (
    add_image,
    archive_product,
    create_product,
    delete_image,
    delete_product,
    find_product,
    load_product,
    product_images,
    reorder_images,
    update_product,
)
from app.catalog.search import ProductQuery, list_products, search_products
from app.catalog.seed import SeedReport, seed_demo
from app.catalog.stock_view import StockView

__all__ = [
    "ProductQuery",
    "SeedReport",
    "StockView",
    "add_image",
    "archive_product",
    "category_path",
    "category_tree",
    "child_categories",
    "create_category",
    "create_product",
    "delete_category",
    "delete_image",
    "delete_product",
    "find_category",
    "find_product",
    "get_category",
    "list_products",
    "load_product",
    "product_images",
    "read_upload",
    "reorder_images",
    "search_products",
    "seed_demo",
    "subtree_ids",
    "update_category",
    "update_product",
]
