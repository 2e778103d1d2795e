"""The stack the frontend's tests run against, all real and all on loopback:

- a fresh database of its own on the test run's PostgreSQL, migrated and seeded
  (tests/frontend/seed.py);
- uvicorn of the app on it, and a Celery worker consuming a queue of its own (the API enqueues
  to it through CELERY_TASK_DEFAULT_QUEUE), so that test runs sharing one Redis never take
  each other's jobs;
- an SMTP server the worker sends through, readable by node over HTTP (mailbox.py);
- for the browser: a fresh `vite build` of frontend/ served by Debian's nginx with the shipped
  config over HTTPS, in front of that uvicorn, with the API's media folder at /media/.

The API's FRONTEND_URL is nginx's https address, so e-mail links open the built storefront.
Fixtures in conftest.py; node tools from frontend/node_modules (`make frontend`).
"""

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.config import PROJECT_ROOT, Settings
from app.core.embedded import free_port
from app.core.migrations import upgrade_to_head
from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.mail import CeleryWorker, running_celery_worker, smtp_env
from tests.fixtures.nginx import Proxy, running_nginx
from tests.frontend.mailbox import Mailbox, running_mailbox
from tests.frontend.seed import SeededAccounts, seed

FRONTEND_DIR = PROJECT_ROOT / "frontend"
NODE_BIN = FRONTEND_DIR / "node_modules" / ".bin"
CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    None
    if CHROMIUM.exists()
    else f"chromium is needed at {CHROMIUM} (`make system-deps` installs Debian's chromium as"
    " root with apt)"
)
BUILD_TIMEOUT_SECONDS = 300
OUTPUT_TAIL_LINES = 60
# The e-mail endpoints and logins are throttled per client address; every request of the tests
# comes from 127.0.0.1. The per-account and per-address limits stay as they ship.
RAISED_LIMITS = {"LOGIN_MAX_FAILURES_PER_IP": "100000", "EMAIL_REQUESTS_PER_IP": "100000"}


def node_tool(name: str) -> Path:
    """frontend/node_modules/.bin/<name>; a clear failure when the packages are missing."""
    tool = NODE_BIN / name
    if not tool.exists():
        raise AssertionError(
            f"{tool} is missing: install the frontend's packages with `make frontend`"
            " (`make test` does it)"
        )
    return tool


def tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class Backend:
    api: ApiServer
    worker: CeleryWorker
    mailbox: Mailbox
    accounts: SeededAccounts
    media: Path
    # Where nginx will serve the storefront (the API's FRONTEND_URL), chosen before the API
    # starts; `Storefront` listens there.
    public_https_port: int

    def diagnostics(self) -> str:
        """The last lines of the API's and the worker's logs, for a failure's message."""
        state = "running" if self.worker.is_alive() else f"exited {self.worker.process.returncode}"
        return (
            f"--- uvicorn log ({self.api.log}) ---\n{self.api.tail()}\n"
            f"--- celery worker log ({state}, {self.worker.log_path}) ---\n{self.worker.tail(40)}"
        )


@dataclass(frozen=True)
class Storefront:
    backend: Backend
    proxy: Proxy
    dist: Path

    @property
    def url(self) -> str:
        return self.proxy.https

    def diagnostics(self) -> str:
        return (
            f"{self.backend.diagnostics()}\n--- nginx error log ---\n{self.proxy.error_log_tail()}"
        )


def app_environment(
    work: Path, database_url: str, *, public_url: str, queue: str
) -> dict[str, str]:
    """What the stack's API and worker get on top of the test run's environment."""
    var_dir = work / "var"
    return {
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "FRONTEND_URL": public_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        # Its own rate limits and live-stock channels, apart from the rest of the test run.
        "REDIS_KEY_PREFIX": f"{os.environ.get('REDIS_KEY_PREFIX', 'test')}-frontend",
        **RAISED_LIMITS,
    }


@contextmanager
def running_backend(work: Path, database_url: str) -> Iterator[Backend]:
    """Migrate and seed the (empty) database at `database_url`, then start the mailbox, the
    worker and the API; everything under `work`, stopped on exit."""
    upgrade_to_head(database_url)
    https_port = free_port()
    env = app_environment(
        work,
        database_url,
        public_url=f"https://127.0.0.1:{https_port}",
        queue=f"frontend-{uuid.uuid4().hex[:12]}",
    )
    settings = Settings(
        DATABASE_URL=database_url,
        VAR_DIR=Path(env["VAR_DIR"]),
        MEDIA_ROOT=Path(env["MEDIA_ROOT"]),
    )
    accounts = seed(settings)
    with ExitStack() as stack:
        mailbox = stack.enter_context(running_mailbox())
        worker_env = {
            **env,
            **smtp_env(mailbox.smtp.port),
            "EMAIL_RETRY_BACKOFF_SECONDS": "1",
            "EMAIL_RETRY_BACKOFF_MAX_SECONDS": "4",
        }
        worker = stack.enter_context(
            running_celery_worker(
                work, queue=env["CELERY_TASK_DEFAULT_QUEUE"], env=worker_env, name="frontend"
            )
        )
        log = work / "uvicorn.log"
        process, port = start_uvicorn(log, env=env)
        stack.callback(stop, process)
        yield Backend(
            api=ApiServer(url=f"http://127.0.0.1:{port}", port=port, log=log),
            worker=worker,
            mailbox=mailbox,
            accounts=accounts,
            media=settings.MEDIA_ROOT,
            public_https_port=https_port,
        )


def build_storefront(out_dir: Path) -> None:
    """`vite build` of frontend/ as it is now into `out_dir` (frontend/dist is left alone)."""
    started = time.monotonic()
    result = subprocess.run(
        [str(node_tool("vite")), "build", "--outDir", str(out_dir), "--emptyOutDir"],
        cwd=FRONTEND_DIR,
        env=node_environment({}),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"vite build failed ({result.returncode}):\n{tail(output)}"
    assert (out_dir / "index.html").is_file(), tail(output)
    print(f"vite build: {time.monotonic() - started:.1f} s")


@contextmanager
def running_storefront(work: Path, backend: Backend) -> Iterator[Storefront]:
    dist = work / "dist"
    build_storefront(dist)
    with running_nginx(
        work / "nginx",
        api=backend.api,
        root=dist,
        media=backend.media,
        https_port=backend.public_https_port,
    ) as proxy:
        yield Storefront(backend=backend, proxy=proxy, dist=dist)


def node_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment of a node tool run by the tests: CI mode, no colours in the output
    (COLORS: Testing Library's printed DOM)."""
    env = {**os.environ, "CI": "true", "NO_COLOR": "1", "COLORS": "false", **extra}
    env.pop("FORCE_COLOR", None)  # node warns when both are set, and it would win
    return env


def run_node(command: list[str], extra_env: Mapping[str, str], timeout: float) -> tuple[int, str]:
    """Run a node tool in frontend/ (see `node_environment`), print its output (pytest shows
    it with the test) and how long it took; its exit code and output."""
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=FRONTEND_DIR,
        env=node_environment(extra_env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = result.stdout + result.stderr
    print(output)
    print(f"{Path(command[0]).name} {' '.join(command[1:])}: {time.monotonic() - started:.1f} s")
    return result.returncode, output


def reset_folder(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
