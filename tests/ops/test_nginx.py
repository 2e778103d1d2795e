"""The shipped nginx config (nginx/templates/default.conf.template), run by Debian's nginx
in front of a real uvicorn of the app: `nginx -t`, then real requests through it.

The template is rendered the way the nginx image renders it (${NAME} from the environment),
with loopback ports and temporary folders; a minimal main nginx.conf around it stands in for
the image's own (pid, logs and temp paths under the test's folder)."""

import os
import re
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.accounts.models import Role
from app.core.config import PROJECT_ROOT
from app.core.embedded import free_port
from app.core.processes import die_with_parent
from tests.fixtures.app import DEFAULT_PASSWORD
from tests.ops.conftest import ApiServer, CommittedUser

NGINX_DIR = PROJECT_ROOT / "nginx"
TEMPLATE = NGINX_DIR / "templates" / "default.conf.template"
MAX_IMAGE_BYTES = 5 * 1024 * 1024
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")

pytestmark = pytest.mark.skipif(
    NGINX is None or OPENSSL is None,
    reason="nginx and openssl are needed (`make system-deps` installs them as root with apt)",
)


def render(template: str, values: dict[str, str]) -> str:
    """${NAME} → values[NAME], as the image's envsubst does; every name must be known."""
    names = set(re.findall(r"\$\{([A-Z0-9_]+)\}", template))
    assert names <= values.keys(), f"unknown template variables: {names - values.keys()}"
    return re.sub(r"\$\{([A-Z0-9_]+)\}", lambda match: values[match.group(1)], template)


def upload_limit() -> int:
    """What nginx/docker-entrypoint.d/15-upload-limit.envsh computes, run by sh."""
    script = NGINX_DIR / "docker-entrypoint.d" / "15-upload-limit.envsh"
    output = subprocess.run(
        ["sh", "-c", f'. "{script}" && echo "$NGINX_MAX_BODY_SIZE"'],
        env={"PATH": os.environ["PATH"], "MAX_IMAGE_BYTES": str(MAX_IMAGE_BYTES)},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(output.stdout)


@dataclass(frozen=True)
class Proxy:
    https: str
    http: str
    https_port: int
    certificate: Path
    media: Path
    api: ApiServer

    def client(self, **options: object) -> httpx.Client:
        return httpx.Client(verify=self.ssl_context(), timeout=10, **options)  # type: ignore[arg-type]

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))


@pytest.fixture(scope="module")
def proxy(api_server: ApiServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    assert NGINX is not None
    base = tmp_path_factory.mktemp("nginx")
    certs, html, media, logs = (base / name for name in ("certs", "html", "media", "logs"))
    for folder in (html, media, logs):
        folder.mkdir()
    subprocess.run([str(NGINX_DIR / "make-cert.sh"), str(certs)], check=True, capture_output=True)
    for file in (NGINX_DIR / "placeholder").iterdir():
        shutil.copy(file, html)
    (media / "products").mkdir()
    (media / "products" / "hello.txt").write_text("an uploaded file\n")

    http_port, https_port = free_port(), free_port()
    flower_port = free_port()  # nothing listens there: Flower is not part of this test
    values = {
        "API_UPSTREAM": f"127.0.0.1:{api_server.port}",
        "FLOWER_UPSTREAM": f"127.0.0.1:{flower_port}",
        "NGINX_HTTP_PORT": str(http_port),
        "NGINX_HTTPS_PORT": str(https_port),
        "HTTPS_PUBLIC_PORT": str(https_port),
        "NGINX_CERT_DIR": str(certs),
        "NGINX_ROOT": str(html),
        "NGINX_MEDIA_ROOT": str(media),
        "NGINX_MAX_BODY_SIZE": str(upload_limit()),
    }
    (base / "default.conf").write_text(render(TEMPLATE.read_text(), values))
    temp = "\n".join(
        f"    {kind}_temp_path {base / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (base / "temp").mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's files
    (base / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
pid {base / "nginx.pid"};
error_log {logs / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {logs / "access.log"};
{temp}
    include {base / "default.conf"};
}}
"""
    )
    argv = [NGINX, "-p", str(base), "-c", str(base / "nginx.conf"), "-e", str(logs / "error.log")]
    checked = subprocess.run([*argv, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
    assert "test is successful" in checked.stderr

    process = subprocess.Popen(
        [*argv, "-g", "daemon off;"], stderr=subprocess.PIPE, preexec_fn=die_with_parent
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                httpx.get(f"http://127.0.0.1:{http_port}/", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        yield Proxy(
            https=f"https://127.0.0.1:{https_port}",
            http=f"http://127.0.0.1:{http_port}",
            https_port=https_port,
            certificate=certs / "localhost.crt",
            media=media,
            api=api_server,
        )
    finally:
        process.terminate()
        process.wait(timeout=15)


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
        style = client.get(f"{proxy.https}/placeholder.css")
        missing_asset = client.get(f"{proxy.https}/assets/nope.js")
        media = client.get(f"{proxy.https}/media/products/hello.txt")
    assert home.status_code == 200
    assert "<title>OnlineShop</title>" in home.text
    assert deep.status_code == 200
    assert deep.text == home.text
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")
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
        response = client.post(
            "/admin/login", data={"username": admin.email, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302, response.text
        cookie = response.headers["set-cookie"].lower()
        assert "secure" in cookie
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
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
        client.post("/admin/login", data={"username": operator.email, "password": DEFAULT_PASSWORD})
        assert client.get("/flower/").status_code == 403
    with proxy.client(base_url=proxy.https) as client:
        client.post("/admin/login", data={"username": admin.email, "password": DEFAULT_PASSWORD})
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
