"""The catalog's service: what its router and other domains call
(`from app.catalog import service as catalog_service`).

The rules live in categories.py, products.py and search.py; this module gathers them so
callers depend on one name.
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
from app.catalog.products import (
    add_image,
    archive_product,
    available_units,
    create_product,
    delete_image,
    delete_product,
    find_product,
    load_product,
    product_images,
    product_is_referenced,
    reorder_images,
    update_product,
)
from app.catalog.search import ProductQuery, list_products, search_products

__all__ = [
    "ProductQuery",
    "add_image",
    "archive_product",
    "available_units",
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
    "product_is_referenced",
    "reorder_images",
    "search_products",
    "subtree_ids",
    "update_category",
    "update_product",
]
