"""Uploaded images: decoded and re-encoded with Pillow, thumbnailed, stored under MEDIA_ROOT.

The decoding functions are CPU-bound and the file functions block: call them through
`run_in_threadpool`, never directly inside `async def`.
"""

import contextlib
import io
import os
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fastapi import UploadFile
from PIL import Image, ImageOps, UnidentifiedImageError

from app.catalog.exceptions import ImageTooLarge, InvalidImage
from app.core.config import get_settings

# Format name (as Pillow reports it) -> (content type, file extension).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# 40 megapixels (e.g. 8000 x 5000): far below what decoding bombs ask for, above any camera
# photo a shop needs. Checked from the header, before a single pixel is decoded.
MAX_PIXELS = 40_000_000
STORED_QUALITY = 90
THUMBNAIL_QUALITY = 80
_DECODE_ERRORS = (
    OSError,  # UnidentifiedImageError, truncated or corrupt data
    SyntaxError,  # some plugins report broken headers this way
    ValueError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def media_url(path: str) -> str:
    """The public URL of a file stored under MEDIA_ROOT at the relative `path`."""
    return f"{get_settings().MEDIA_URL.rstrip('/')}/{path}"


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded bytes, or ImageTooLarge past `limit` (reads at most limit + 1 bytes)."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ImageTooLarge(f"The image is larger than {limit // 1024} KiB.")
    return data


def process_image(
    data: bytes, *, thumbnail_size: int, max_pixels: int = MAX_PIXELS
) -> ProcessedImage:
    """Decode `data` as JPEG, PNG or WebP (whatever the file was called), re-encode it, and
    make a WebP thumbnail whose longest side is at most `thumbnail_size` pixels.

    The stored image is what Pillow wrote, not the upload: the EXIF orientation is applied,
    metadata such as GPS positions is dropped, and anything hidden after the image data is
    gone. Raises InvalidImage or ImageTooLarge.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as opened:
                # Image.open reads the header only: refuse huge dimensions before decoding.
                if opened.width * opened.height > max_pixels:
                    raise ImageTooLarge(
                        f"The image has {opened.width} x {opened.height} pixels; "
                        f"at most {max_pixels // 1_000_000} megapixels are accepted."
                    )
                image_format = opened.format or ""
                opened.load()
                image = ImageOps.exif_transpose(opened)
                icc_profile = opened.info.get("icc_profile")
    except UnidentifiedImageError as error:
        raise InvalidImage() from error
    except _DECODE_ERRORS as error:
        if isinstance(error, Image.DecompressionBombError | Image.DecompressionBombWarning):
            raise ImageTooLarge("The image has too many pixels.") from error
        raise InvalidImage("The image data is damaged or incomplete.") from error
    if image_format not in FORMATS:
        raise InvalidImage()
    content_type, extension = FORMATS[image_format]
    try:
        stored = _encode(image, image_format, icc_profile)
        thumbnail = make_thumbnail(image, thumbnail_size)
    except (OSError, ValueError) as error:
        # A mode or profile that decodes but cannot be written back (rare): refuse it.
        raise InvalidImage("The image could not be processed.") from error
    return ProcessedImage(
        data=stored,
        thumbnail=thumbnail,
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
    )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _encode(image: Image.Image, image_format: str, icc_profile: bytes | None) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        target: str | None = "RGB"
    elif image_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        target = "RGBA" if _has_alpha(image) else "RGB"
    else:
        target = None
    if target is not None:
        image = image.convert(target)
        icc_profile = None  # the profile described the old colour space (e.g. CMYK)
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "PNG":
        image.save(out, format="PNG", **extra)
    else:
        image.save(out, format=image_format, quality=STORED_QUALITY, **extra)
    return out.getvalue()


def make_thumbnail(image: Image.Image, size: int) -> bytes:
    thumbnail = image.convert("RGBA" if _has_alpha(image) else "RGB")
    thumbnail.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumbnail.save(out, format="WEBP", quality=THUMBNAIL_QUALITY)
    return out.getvalue()


# --- files under MEDIA_ROOT ----------------------------------------------------------------


def product_image_paths(
    product_id: uuid.UUID, image_id: uuid.UUID, extension: str
) -> tuple[str, str]:
    """The relative paths (POSIX, under MEDIA_ROOT) of an image and of its thumbnail."""
    folder = PurePosixPath("products") / str(product_id)
    return str(folder / f"{image_id}.{extension}"), str(folder / f"{image_id}-thumb.webp")


def _resolve(root: Path, relative: str) -> Path:
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"{relative!r} is outside MEDIA_ROOT")
    return path


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write each file atomically (a temporary name, then a rename)."""
    for relative, content in files.items():
        path = _resolve(root, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)


def remove_files(root: Path, paths: list[str]) -> None:
    """Remove the files, then their folders when they are left empty; missing files are fine."""
    folders = set()
    for relative in paths:
        path = _resolve(root, relative)
        path.unlink(missing_ok=True)
        folders.add(path.parent)
    for folder in folders:
        # Not empty (other images of the product) or already gone: keep it.
        with contextlib.suppress(OSError):
            folder.rmdir()
