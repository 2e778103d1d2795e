"""The storefront build served by the API (`make run`): files, client-side routes, cache
headers, and the server's own paths untouched. And when the launcher rebuilds it."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from app.core.config import get_settings
from app.launcher.storefront import is_stale, newest_source_mtime
from app.main import create_app

INDEX = '<!doctype html><html><body><div id="root"></div></body></html>'


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "app-1a2b3c.js").write_text("console.log('shop')")
    (folder / "favicon.svg").write_text("<svg/>")
    return folder


async def serving(dist: Path) -> AsyncIterator[AsyncClient]:
    app = create_app(get_settings().model_copy(update={"STOREFRONT_DIST": dist}))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://shop") as client:
        yield client


@pytest.fixture
async def shop(dist: Path) -> AsyncIterator[AsyncClient]:
    async for client in serving(dist):
        yield client


@pytest.mark.parametrize("path", ["/", "/products/blue-shirt", "/verify-email?token=abc", "/cart"])
async def test_pages_are_the_single_page_app(shop: AsyncClient, path: str) -> None:
    response = await shop.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


async def test_build_files_are_served_and_assets_cached_for_good(shop: AsyncClient) -> None:
    asset = await shop.get("/assets/app-1a2b3c.js")
    assert asset.status_code == 200
    assert asset.text == "console.log('shop')"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    icon = await shop.get("/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/assets/app-old.js", "/api/v1/nothing-here", "/api/nothing", "/media/none.jpg"]
)
async def test_missing_files_and_unknown_api_paths_are_json_404s(
    shop: AsyncClient, path: str
) -> None:
    response = await shop.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "TRACE"])
async def test_other_methods_on_the_servers_paths_are_the_apis_answers(
    shop: AsyncClient, method: str
) -> None:
    # The storefront, mounted at /, would claim these with its own 405 (Allow: GET, HEAD).
    wrong = await shop.request(method, "/api/v1/shop")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET"
    assert wrong.json()["code"] == "method_not_allowed"
    unknown = await shop.request(method, "/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found"
    page = await shop.request(method, "/cart")
    assert page.status_code == 405
    assert page.headers["allow"] == "GET, HEAD"


async def test_the_api_still_answers_beside_the_storefront(shop: AsyncClient) -> None:
    assert (await shop.get("/health")).json() == {"status": "ok"}
    assert (await shop.get("/api/v1/shop")).json() == {
        "name": get_settings().PROJECT_NAME,
        "currency": get_settings().CURRENCY,
    }
    assert (await shop.get("/api/openapi.json")).status_code == 200


async def test_without_a_build_nothing_is_served_at_the_root(tmp_path: Path) -> None:
    async for client in serving(tmp_path / "missing"):
        response = await client.get("/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_build_is_stale_when_missing_or_older_than_a_source(tmp_path: Path) -> None:
    frontend = tmp_path / "frontend"
    (frontend / "src").mkdir(parents=True)
    source = frontend / "src" / "main.tsx"
    source.write_text("export {}")
    (frontend / "package.json").write_text("{}")
    dist = frontend / "dist"
    assert is_stale(dist, frontend)

    dist.mkdir()
    (dist / "index.html").write_text(INDEX)
    newest = newest_source_mtime(frontend)
    os.utime(dist / "index.html", (newest + 10, newest + 10))
    assert not is_stale(dist, frontend)

    os.utime(source, (newest + 20, newest + 20))
    assert is_stale(dist, frontend)
