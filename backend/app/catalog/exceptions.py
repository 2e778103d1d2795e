"""Errors of the catalog domain; app.core.errors maps them to HTTP once."""

from app.core.errors import Conflict, DomainError, NotFound


class CategoryNotFound(NotFound):
    code = "category_not_found"
    detail = "Category not found."


class ProductNotFound(NotFound):
    code = "product_not_found"
    detail = "Product not found."


class ImageNotFound(NotFound):
    code = "image_not_found"
    detail = "Image not found."


class UnknownCategory(DomainError):
    """A request names a category (by id or slug) that does not exist."""

    status_code = 422
    code = "unknown_category"
    detail = "The category does not exist."


class CategoryCycle(Conflict):
    code = "category_cycle"
    detail = "A category cannot be moved under itself or one of its subcategories."


class CategoryNotEmpty(Conflict):
    code = "category_not_empty"
    detail = "The category still has subcategories or products; move or delete them first."


class SlugTaken(Conflict):
    code = "slug_taken"
    detail = "This slug is already used."


class SkuTaken(Conflict):
    code = "sku_taken"
    detail = "A product with this SKU already exists."


class ProductArchived(Conflict):
    code = "product_archived"
    detail = "The product is archived: restore it (is_archived: false) before publishing it."


class TooManyImages(Conflict):
    code = "too_many_images"
    detail = "A product has at most 5 images: delete one first."


class InvalidImage(DomainError):
    status_code = 422
    code = "invalid_image"
    detail = "The file is not a JPEG, PNG or WebP image."


class ImageTooLarge(DomainError):
    status_code = 413
    code = "image_too_large"
    detail = "The image is too large."


class LengthRequired(DomainError):
    status_code = 411
    code = "length_required"
    detail = "An upload needs a Content-Length header."


class InvalidImageOrder(DomainError):
    status_code = 422
    code = "invalid_image_order"
    detail = "image_ids must list every image of the product exactly once."


class InvalidPriceRange(DomainError):
    status_code = 422
    code = "invalid_price_range"
    detail = "min_price must not be greater than max_price."


class RelevanceNeedsQuery(DomainError):
    status_code = 422
    code = "relevance_needs_query"
    detail = "sort=relevance needs a search query (q)."
