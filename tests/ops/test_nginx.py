"""The shipped nginx config (nginx/templates/default.conf.template), run by Debian's nginx
in front of a real uvicorn of the app: `nginx -t`, then real requests through it (the
rendering and startup are in tests/fixtures/nginx.py)."""

import json
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.accounts.models import Role
from tests.fixtures.api_server import ApiServer
from tests.fixtures.app import DEFAULT_PASSWORD
from tests.fixtures.nginx import (
    MAX_IMAGE_BYTES,
    MISSING_NGINX,
    Proxy,
    running_nginx,
    upload_limit,
)
from tests.ops.conftest import CommittedUser, page_csrf_token

LOG_WAIT_SECONDS = 5

pytestmark = pytest.mark.skipif(MISSING_NGINX is not None, reason=MISSING_NGINX or "")


@pytest.fixture(scope="module")
def proxy(api_server: ApiServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    base = tmp_path_factory.mktemp("nginx")
    html, media = base / "html", base / "media"
    # A stand-in for the storefront build (tests/frontend serves the real one).
    (html / "assets").mkdir(parents=True)
    (html / "index.html").write_text(
        '<!doctype html><html><head><title>OnlineShop</title></head><body><div id="root">'
        '</div><script type="module" src="/assets/app.js"></script></body></html>'
    )
    (html / "assets" / "app.css").write_text("body { margin: 0; }\n")
    (media / "products").mkdir(parents=True)
    (media / "products" / "hello.txt").write_text("an uploaded file\n")
    with running_nginx(base / "nginx", api=api_server, root=html, media=media) as running:
        yield running


SECURITY_HEADERS = (
    "strict-transport-security",
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
)


def assert_security_headers(response: httpx.Response) -> None:
    for name in SECURITY_HEADERS:
        assert name in response.headers, (name, response.url)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "max-age=" in response.headers["strict-transport-security"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_plain_http_is_redirected_to_https(proxy: Proxy) -> None:
    response = httpx.get(f"{proxy.http}/catalog/shoes?page=2", follow_redirects=False)
    assert response.status_code == 301
    assert (
        response.headers["location"] == f"https://127.0.0.1:{proxy.https_port}/catalog/shoes?page=2"
    )


def test_the_storefront_is_served_with_spa_fallback(proxy: Proxy) -> None:
    with proxy.client() as client:
        home = client.get(f"{proxy.https}/")
        deep = client.get(f"{proxy.https}/products/some-shoe?colour=red")
        style = client.get(f"{proxy.https}/assets/app.css")
        missing_asset = client.get(f"{proxy.https}/assets/nope.js")
        media = client.get(f"{proxy.https}/media/products/hello.txt")
    assert home.status_code == 200
    assert "<title>OnlineShop</title>" in home.text
    assert deep.status_code == 200
    assert deep.text == home.text
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in style.headers["cache-control"]
    assert missing_asset.status_code == 404
    assert media.status_code == 200
    assert media.text == "an uploaded file\n"
    assert_security_headers(home)
    assert "script-src 'self';" in home.headers["content-security-policy"]
    assert home.headers["server"] == "nginx"  # no version (server_tokens off)


def test_the_api_is_proxied_with_gzip_and_the_request_id(proxy: Proxy) -> None:
    with proxy.client() as client:
        products = client.get(
            f"{proxy.https}/api/v1/products", headers={"X-Request-ID": "via-nginx-1"}
        )
        schema = client.get(f"{proxy.https}/api/openapi.json", headers={"Accept-Encoding": "gzip"})
        made = client.get(f"{proxy.https}/health")
    assert products.status_code == 200
    assert "items" in products.json()
    assert products.headers["x-request-id"] == "via-nginx-1"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])  # nginx's $request_id
    assert schema.status_code == 200
    assert schema.headers["content-encoding"] == "gzip"
    assert schema.json()["openapi"].startswith("3.")
    assert_security_headers(products)


def test_metrics_are_not_reachable_through_nginx(proxy: Proxy) -> None:
    with proxy.client() as client:
        assert client.get(f"{proxy.https}/metrics").status_code == 404
    assert httpx.get(f"{proxy.api.url}/metrics").status_code == 200


def test_uploads_above_the_image_limit_stop_at_nginx(proxy: Proxy) -> None:
    path = "/api/v1/products/00000000-0000-0000-0000-000000000000/images"
    with proxy.client() as client:
        too_big = client.post(f"{proxy.https}{path}", content=b"x" * (upload_limit() + 1))
        fits = client.post(f"{proxy.https}{path}", content=b"x" * MAX_IMAGE_BYTES)
    assert too_big.status_code == 413
    assert fits.status_code == 401  # reached the API, which wants a login


def admin_login(client: httpx.Client, email: str) -> httpx.Response:
    """The admin login form as a browser sends it: with the login page's CSRF token."""
    token = page_csrf_token(client.get("/admin/login").text)
    return client.post(
        "/admin/login",
        data={"username": email, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )


async def test_an_admin_logs_in_over_https_and_the_cookie_is_secure(
    proxy: Proxy, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    with proxy.client(base_url=proxy.https) as client:
        page = client.get("/admin/login")
        assert page.status_code == 200
        assert 'name="password"' in page.text
        assert "'unsafe-inline'" in page.headers["content-security-policy"]
        assert_security_headers(page)
        response = admin_login(client, admin.email)
        assert response.status_code == 302, response.text
        cookie = response.headers["set-cookie"].lower()
        assert "secure" in cookie
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert response.headers["location"].startswith(
            f"https://127.0.0.1:{proxy.https_port}/admin"
        )
        users = client.get("/admin/user/list")
        assert users.status_code == 200
        assert admin.email in users.text


async def test_flower_is_for_admins_only(proxy: Proxy, committed_user: CommittedUser) -> None:
    operator = await committed_user(Role.OPERATOR)
    admin = await committed_user(Role.ADMIN)
    with proxy.client(base_url=proxy.https) as client:
        anonymous = client.get("/flower/")
        assert anonymous.status_code == 302
        assert anonymous.headers["location"].endswith("/admin/login")
        assert admin_login(client, operator.email).status_code == 302
        assert client.get("/flower/").status_code == 403
    with proxy.client(base_url=proxy.https) as client:
        assert admin_login(client, admin.email).status_code == 302
        # Past the check: Flower does not run in this test, so nginx cannot reach it.
        assert client.get("/flower/").status_code == 502


async def test_websockets_are_upgraded_through_nginx(proxy: Proxy) -> None:
    url = f"wss://127.0.0.1:{proxy.https_port}/ws/stores/NOPE"
    async with connect(url, ssl=proxy.ssl_context()) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
    # The API's own close code: the upgrade went through nginx to the app and back.
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


def access_entry(api: ApiServer, request_id: str) -> dict[str, object]:
    """uvicorn's access-log entry of the request with this id, once it is written."""
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    while True:
        for line in api.log_lines():
            entry = json.loads(line) if line.startswith("{") else {}
            if entry.get("request_id") == request_id and entry.get("logger") == "uvicorn.access":
                return entry
        assert time.monotonic() < deadline, f"no access line for {request_id}:\n{api.tail()}"
        time.sleep(0.1)


def test_a_client_cannot_choose_the_address_the_api_sees(proxy: Proxy) -> None:
    with proxy.client() as client:
        response = client.get(
            f"{proxy.https}/health",
            headers={"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "spoofed-address-1"},
        )
    assert response.status_code == 200
    # The API trusts nginx's X-Forwarded-For; nginx wrote the address it was connected from.
    entry = access_entry(proxy.api, "spoofed-address-1")
    assert str(entry["message"]).startswith("127.0.0.1:"), entry
    assert "203.0.113.9" not in str(entry), entry


def test_token_query_values_are_redacted_in_the_access_log(proxy: Proxy) -> None:
    link = "/reset-password?token=secret-reset-link&x=1"
    with proxy.client(base_url=proxy.https) as client:
        assert client.get(link).status_code == 200
        asset = client.get("/assets/app.css", headers={"Referer": f"{proxy.https}{link}"})
        assert asset.status_code == 200
        assert client.get("/api/v1/products?token=secret-api-query").status_code == 200
    log = proxy.logs / "access.log"
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    while "/api/v1/products?token=" not in log.read_text():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    text = log.read_text()
    assert "/reset-password?token=[redacted]&x=1" in text, text
    assert f'"{proxy.https}/reset-password?token=[redacted]&x=1"' in text, text  # the Referer
    assert "secret-" not in text, text
    assert "secret-" not in proxy.api.tail(200)
