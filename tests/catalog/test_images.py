"""Product images: decoded (not trusted by name), limited, thumbnailed, ordered, served."""

import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product, ProductImage
from app.catalog.router import MULTIPART_OVERHEAD
from app.core.config import get_settings
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import ProductFactory, image_bytes

URL = "/api/v1/products"


def media(path_or_url: str) -> Path:
    relative = path_or_url.removeprefix(get_settings().MEDIA_URL).lstrip("/")
    return get_settings().MEDIA_ROOT / relative


async def upload(
    client: AsyncClient,
    product: Product,
    headers: dict[str, str],
    data: bytes | None = None,
    filename: str = "photo.jpg",
) -> Any:
    content = image_bytes() if data is None else data
    return await client.post(
        f"{URL}/{product.id}/images",
        files={"file": (filename, content, "image/jpeg")},
        headers=headers,
    )


async def _image_count(session: AsyncSession, product: Product) -> int:
    count = await session.scalar(select(func.count()).where(ProductImage.product_id == product.id))
    return count or 0


async def test_upload_stores_the_image_and_a_smaller_thumbnail(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    response = await upload(client, product, staff_headers, image_bytes(size=(1200, 900)))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["position"] == 0
    assert body["content_type"] == "image/jpeg"
    assert (body["width"], body["height"]) == (1200, 900)
    assert body["url"].startswith(f"/media/products/{product.id}/")
    assert body["url"].endswith(".jpg")
    assert body["thumbnail_url"].endswith("-thumb.webp")

    stored, thumbnail = media(body["url"]), media(body["thumbnail_url"])
    assert stored.is_file()
    assert body["size_bytes"] == stored.stat().st_size
    with Image.open(thumbnail) as thumb:
        assert thumb.format == "WEBP"
        assert max(thumb.size) == get_settings().THUMBNAIL_SIZE
        assert thumb.size == (320, 240)  # aspect ratio kept
    assert thumbnail.stat().st_size < stored.stat().st_size

    served = await client.get(body["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.content == stored.read_bytes()
    assert (await client.get(body["thumbnail_url"])).headers["content-type"] == "image/webp"
    missing = await client.get("/media/products/nothing-here.jpg")
    assert missing.status_code == 404

    detail = (await client.get(f"{URL}/{product.id}")).json()
    assert [image["id"] for image in detail["images"]] == [body["id"]]


async def test_the_content_decides_the_format_not_the_name(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    png = await upload(client, product, staff_headers, image_bytes("PNG"), "named.jpg")
    assert png.status_code == 201
    assert png.json()["content_type"] == "image/png"
    assert png.json()["url"].endswith(".png")
    webp = await upload(client, product, staff_headers, image_bytes("WEBP"), "x.gif")
    assert webp.json()["content_type"] == "image/webp"


def _encoded(mode: str, image_format: str, **options: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (640, 480)).save(out, format=image_format, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type", "thumbnail_mode"),
    [
        pytest.param(_encoded("CMYK", "JPEG"), "image/jpeg", "RGB", id="cmyk-jpeg"),
        pytest.param(_encoded("L", "JPEG"), "image/jpeg", "RGB", id="grey-jpeg"),
        pytest.param(_encoded("P", "PNG", transparency=0), "image/png", "RGBA", id="palette-png"),
        pytest.param(_encoded("I;16", "PNG"), "image/png", "RGB", id="16-bit-png"),
        pytest.param(_encoded("RGBA", "WEBP"), "image/webp", "RGBA", id="alpha-webp"),
    ],
)
async def test_every_colour_mode_of_the_three_formats_is_taken(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
    data: bytes,
    content_type: str,
    thumbnail_mode: str,
) -> None:
    product = await make_product()
    response = await upload(client, product, staff_headers, data)
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == content_type
    with Image.open(media(response.json()["thumbnail_url"])) as thumbnail:
        assert thumbnail.mode == thumbnail_mode
        assert thumbnail.size == (320, 240)


def _truncated_jpeg() -> bytes:
    data = image_bytes(size=(400, 400))
    return data[: len(data) // 2]


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"this is not an image at all", id="text"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 200, id="jpeg-magic-only"),
        pytest.param(_truncated_jpeg(), id="truncated-jpeg"),
        pytest.param(_gif(), id="gif"),
        pytest.param(b"", id="empty"),
    ],
)
async def test_bad_image_bytes_are_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
    data: bytes,
) -> None:
    product = await make_product()
    response = await upload(client, product, staff_headers, data, "holiday.jpg")
    assert_error(response, 422, "invalid_image")
    assert await _image_count(session, product) == 0
    assert not (get_settings().MEDIA_ROOT / "products" / str(product.id)).exists()


async def test_too_large_files_are_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    product = await make_product()
    limit = get_settings().MAX_IMAGE_BYTES
    response = await upload(client, product, staff_headers, b"\xff" * (limit + 1))
    assert_error(response, 413, "image_too_large")
    assert await _image_count(session, product) == 0


async def test_huge_uploads_are_refused_before_their_body_is_read(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    url = f"{URL}/{product.id}/images"
    huge = get_settings().MAX_IMAGE_BYTES + MULTIPART_OVERHEAD + 1
    declared = {**staff_headers, "Content-Length": str(huge)}
    body = assert_error(
        await client.post(url, content=b"", headers=declared), 413, "image_too_large"
    )
    assert "KiB" in body["detail"]

    async def chunks() -> AsyncIterator[bytes]:
        yield image_bytes()

    # A chunked body has no Content-Length: its size is unknown until it is read.
    chunked = await client.post(
        url,
        content=chunks(),
        headers={**staff_headers, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert_error(chunked, 411, "length_required")


async def test_decompression_bombs_are_refused_before_decoding(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    """A tiny PNG that claims 100 megapixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")
    assert len(out.getvalue()) < get_settings().MAX_IMAGE_BYTES
    product = await make_product()
    response = await upload(client, product, staff_headers, out.getvalue(), "bomb.png")
    body = assert_error(response, 413, "image_too_large")
    assert "pixels" in body["detail"]
    assert await _image_count(session, product) == 0


async def test_metadata_is_stripped_and_orientation_applied(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam"  # Make
    out = io.BytesIO()
    Image.new("RGB", (400, 200), (200, 10, 10)).save(out, format="JPEG", exif=exif)
    product = await make_product()
    body = (await upload(client, product, staff_headers, out.getvalue())).json()
    assert (body["width"], body["height"]) == (200, 400)
    with Image.open(media(body["url"])) as stored:
        assert stored.size == (200, 400)
        assert not stored.getexif()


async def test_a_sixth_image_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    product = await make_product()
    for position in range(5):
        response = await upload(client, product, staff_headers)
        assert response.json()["position"] == position
    sixth = await upload(client, product, staff_headers)
    assert_error(sixth, 409, "too_many_images")
    assert await _image_count(session, product) == 5
    folder = get_settings().MEDIA_ROOT / "products" / str(product.id)
    assert len(list(folder.iterdir())) == 10  # five images, five thumbnails


async def test_upload_needs_a_file_and_an_existing_product(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    no_file = await client.post(f"{URL}/{product.id}/images", headers=staff_headers)
    assert_error(no_file, 422, "validation_error")
    unknown = await client.post(
        f"{URL}/{uuid.uuid4()}/images",
        files={"file": ("a.jpg", image_bytes(), "image/jpeg")},
        headers=staff_headers,
    )
    assert_error(unknown, 404, "product_not_found")


async def test_upload_needs_staff(
    client: AsyncClient,
    session: AsyncSession,
    customer_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    product = await make_product()
    assert_error(await upload(client, product, {}), 401, "not_authenticated")
    assert_error(await upload(client, product, customer_headers), 403, "insufficient_role")
    assert await _image_count(session, product) == 0


async def test_delete_image_removes_files_and_closes_the_gap(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    images = [(await upload(client, product, staff_headers)).json() for _ in range(3)]
    middle = images[1]
    response = await client.delete(
        f"{URL}/{product.id}/images/{middle['id']}", headers=staff_headers
    )
    assert response.status_code == 204
    assert not media(middle["url"]).exists()
    assert not media(middle["thumbnail_url"]).exists()
    assert media(images[0]["url"]).exists()

    detail = (await client.get(f"{URL}/{product.id}")).json()
    assert [(i["id"], i["position"]) for i in detail["images"]] == [
        (images[0]["id"], 0),
        (images[2]["id"], 1),
    ]
    again = await client.delete(f"{URL}/{product.id}/images/{middle['id']}", headers=staff_headers)
    assert_error(again, 404, "image_not_found")
    # An image of another product is not found through this one.
    other = await make_product()
    elsewhere = await client.delete(
        f"{URL}/{other.id}/images/{images[0]['id']}", headers=staff_headers
    )
    assert_error(elsewhere, 404, "image_not_found")


async def test_reorder_takes_a_permutation_of_the_current_images(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    ids = [(await upload(client, product, staff_headers)).json()["id"] for _ in range(3)]
    url = f"{URL}/{product.id}/images/order"

    reordered = await client.put(url, json={"image_ids": ids[::-1]}, headers=staff_headers)
    assert reordered.status_code == 200, reordered.text
    assert [(i["id"], i["position"]) for i in reordered.json()] == [
        (ids[2], 0),
        (ids[1], 1),
        (ids[0], 2),
    ]
    detail = (await client.get(f"{URL}/{product.id}")).json()
    assert [image["id"] for image in detail["images"]] == ids[::-1]

    for bad in (
        ids[:2],  # one missing
        [*ids, str(uuid.uuid4())],  # one extra
        [ids[0], ids[0], ids[1]],  # a duplicate in place of one
        [ids[0], ids[1], str(uuid.uuid4())],  # a stranger in place of one
        [],
    ):
        response = await client.put(url, json={"image_ids": bad}, headers=staff_headers)
        assert_error(response, 422, "invalid_image_order")
    assert_error(
        await client.put(url, json={"image_ids": ["nope"]}, headers=staff_headers),
        422,
        "validation_error",
    )
    after = (await client.get(f"{URL}/{product.id}")).json()
    assert [image["id"] for image in after["images"]] == ids[::-1]


async def test_the_listing_shows_the_primary_image(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product(name="Pictured kettle")
    bare = await make_product(name="Pictured kettle lid")
    first = (await upload(client, product, staff_headers)).json()
    second = (await upload(client, product, staff_headers)).json()

    async def listed() -> dict[str, dict[str, Any]]:
        body = (await client.get(URL, params={"q": "pictured kettle", "size": 10})).json()
        return {item["id"]: item for item in body["items"]}

    items = await listed()
    assert items[str(product.id)]["image_url"] == first["url"]
    assert items[str(product.id)]["thumbnail_url"] == first["thumbnail_url"]
    assert items[str(bare.id)]["image_url"] is None
    assert items[str(bare.id)]["thumbnail_url"] is None

    await client.put(
        f"{URL}/{product.id}/images/order",
        json={"image_ids": [second["id"], first["id"]]},
        headers=staff_headers,
    )
    assert (await listed())[str(product.id)]["image_url"] == second["url"]


async def test_deleting_a_product_deletes_its_image_files(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product()
    image = (await upload(client, product, staff_headers)).json()
    response = await client.delete(f"{URL}/{product.id}", headers=staff_headers)
    assert response.json()["outcome"] == "deleted"
    assert not media(image["url"]).exists()
    assert not (get_settings().MEDIA_ROOT / "products" / str(product.id)).exists()
