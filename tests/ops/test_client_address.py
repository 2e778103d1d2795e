"""The address the per-address limits count (failed logins, e-mail requests) is the
connection's unless the connection comes from the trusted proxy: an X-Forwarded-For the client
wrote itself buys it nothing, whichever way the API is started (the launcher, compose's
command, the image's own), and nginx replaces the header instead of extending it."""

import json
import os
import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from app.core.config import PROJECT_ROOT, Settings
from app.core.embedded import free_port
from app.launcher import api_command
from tests.fixtures.api_server import launch, stop
from tests.fixtures.nginx import TEMPLATE

LIMIT = 10
ATTEMPTS = 60


def launcher_way(port: int) -> tuple[list[str], dict[str, str]]:
    """What `onlineshop run` starts, with FORWARDED_ALLOW_IPS at its default."""
    settings = Settings(_env_file=None, HOST="127.0.0.1", PORT=port)
    return api_command(settings), {}


def on_loopback(command: str, port: int) -> str:
    """A shipped uvicorn command line, listening on a loopback test port instead of 8000."""
    moved = command.replace("--host 0.0.0.0 --port 8000", f"--host 127.0.0.1 --port {port}")
    assert moved != command, command
    return moved


def compose_way(port: int) -> tuple[list[str], dict[str, str]]:
    """The api service's command and FORWARDED_ALLOW_IPS (nginx's address in the stack);
    the test's client is some other address, as any other container would be."""
    api = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]["api"]
    shell, flag, command = api["command"]
    # compose turns `$$` into `$` before the shell sees it.
    command = on_loopback(command.replace("$$", "$"), port)
    env = {"API_WORKERS": "1", "FORWARDED_ALLOW_IPS": api["environment"]["FORWARDED_ALLOW_IPS"]}
    return [shell, flag, command], env


def image_way(port: int) -> tuple[list[str], dict[str, str]]:
    """The app image's own CMD, with FORWARDED_ALLOW_IPS unset."""
    cmd = re.search(r"^CMD (\[.*\])$", (PROJECT_ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert cmd is not None
    shell, flag, command = json.loads(cmd.group(1))
    return [shell, flag, on_loopback(command, port)], {}


@pytest.fixture
def without_forwarded_allow_ips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)


@pytest.fixture
def started(tmp_path: Path, without_forwarded_allow_ips: None) -> Iterator[Callable[..., str]]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(way: Callable[[int], tuple[list[str], dict[str, str]]]) -> str:
        port = free_port()
        argv, env = way(port)
        env |= {
            "LOGIN_MAX_FAILURES_PER_IP": str(LIMIT),
            # Counters of its own: another server of this test run must not have filled them.
            "REDIS_KEY_PREFIX": f"{os.environ['REDIS_KEY_PREFIX']}-{uuid.uuid4().hex[:8]}",
        }
        processes.append(launch(argv, tmp_path / "api.log", port, env=env))
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        stop(process)


def failed_logins(url: str, attempts: int) -> list[int]:
    """The statuses of failed logins, each claiming a new address in X-Forwarded-For, up to
    the first 429."""
    statuses = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for attempt in range(attempts):
            response = client.post(
                "/api/v1/auth/login",
                # A new account each time: only the per-address limit can stop it.
                data={"username": f"nobody-{attempt}@example.com", "password": "wrong-guess"},
                headers={"X-Forwarded-For": f"198.51.100.{attempt + 1}"},
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
    return statuses


@pytest.mark.parametrize("way", [launcher_way, compose_way, image_way])
def test_failed_logins_are_counted_per_connection_address_whatever_it_forwards(
    started: Callable[..., str], way: Callable[[int], tuple[list[str], dict[str, str]]]
) -> None:
    assert failed_logins(started(way), ATTEMPTS) == [401] * LIMIT + [429]


def test_the_launcher_trusts_the_proxy_it_is_told_of(
    started: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With FORWARDED_ALLOW_IPS naming the proxy (this test's loopback address), what it
    forwards is the client's address, each counted on its own."""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    assert failed_logins(started(launcher_way), LIMIT + 1) == [401] * (LIMIT + 1)


def test_nginx_sets_x_forwarded_for_to_the_connection_address() -> None:
    settings = re.findall(r"proxy_set_header\s+X-Forwarded-For\s+(\S+);", TEMPLATE.read_text())
    assert settings, "nginx passes no X-Forwarded-For"
    assert set(settings) == {"$remote_addr"}
