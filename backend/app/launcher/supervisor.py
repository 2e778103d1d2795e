"""Signals and child processes: start the API and the worker, watch them, stop them all."""

import contextlib
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from types import FrameType

from celery import Celery

from app.core.processes import die_with_parent
from app.launcher.console import say

READY_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 15.0
POLL_SECONDS = 0.25
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StartupInterruptedError(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived while the launcher was starting up."""


class SignalGate:
    """Turns SIGINT/SIGTERM/SIGHUP into a stop request.

    While starting (embedded servers, migrations), blocking steps cannot poll, so the first
    signal raises `StartupInterruptedError`; once children run, signals only set `stop` so the
    supervisor stops them in order. A signal repeated later (a second Ctrl-C) sets `force`,
    which skips the grace period; one coming within FORCE_AFTER_SECONDS of the first does
    not, because one Ctrl-C often arrives twice (from the terminal and forwarded by `uv run`).
    """

    FORCE_AFTER_SECONDS = 1.0

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.force = threading.Event()
        self.raising = True
        self._first_at = 0.0
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, _: FrameType | None) -> None:
        if self.stop.is_set():
            if time.monotonic() - self._first_at >= self.FORCE_AFTER_SECONDS:
                self.force.set()
            return
        self._first_at = time.monotonic()
        self.stop.set()
        say(f"\nReceived {signal.Signals(signum).name}: stopping (again to stop at once) …")
        if self.raising:
            raise StartupInterruptedError(signum)

    def __enter__(self) -> "SignalGate":
        for signum in HANDLED_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)  # type: ignore[arg-type]


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    @property
    def running(self) -> bool:
        return self.process.poll() is None


class Supervisor:
    """Starts children in their own process groups and stops them all, in reverse order.

    Own process groups: a Ctrl-C in the terminal reaches only the launcher (the embedded
    servers run detached too), which then stops the API and the worker before the servers
    they talk to.
    """

    def __init__(self, env: Mapping[str, str], gate: SignalGate) -> None:
        self.env = dict(env)
        self.gate = gate
        self.children: list[Child] = []

    def start(self, name: str, argv: list[str]) -> Child:
        process = subprocess.Popen(  # noqa: S603 - our own commands
            argv, env=self.env, start_new_session=True, preexec_fn=die_with_parent
        )
        child = Child(name, process)
        self.children.append(child)
        return child

    def dead_child(self) -> Child | None:
        return next((child for child in self.children if not child.running), None)

    def wait_until_ready(
        self, url: str, redis_url: str | None, timeout: float = READY_TIMEOUT_SECONDS
    ) -> bool:
        """True once `url` answers 200 and a Celery worker answers a ping on `redis_url`;
        False on a stop request, a dead child or a timeout."""
        deadline = time.monotonic() + timeout
        api_ready = worker_ready = False
        with _WorkerProbe(redis_url) as probe:
            while time.monotonic() < deadline:
                if self.gate.stop.is_set() or self.dead_child() is not None:
                    return False
                api_ready = api_ready or _answers_ok(url)
                worker_ready = worker_ready or probe.answers()
                if api_ready and worker_ready:
                    return True
                self.gate.stop.wait(POLL_SECONDS)
        waiting_for = " and ".join(
            name
            for name, ready in (("the API", api_ready), ("the worker", worker_ready))
            if not ready
        )
        say(f"Gave up waiting for {waiting_for} after {timeout:.0f} s.")
        return False

    def watch(self) -> int:
        """Block until a stop request (exit code 0) or a child's death (non-zero)."""
        while not self.gate.stop.wait(POLL_SECONDS):
            if (dead := self.dead_child()) is not None:
                return self.report_death(dead)
        return 0

    def report_death(self, child: Child) -> int:
        code = child.process.returncode
        say(f"The {child.name} exited unexpectedly (exit code {code}): stopping everything.")
        return code if code and code > 0 else 1

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """SIGTERM to every child, then SIGKILL to the groups that outlive `timeout`."""
        for child in reversed(self.children):
            if child.running:
                say(f"Stopping the {child.name} …")
                with contextlib.suppress(ProcessLookupError):
                    child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in reversed(self.children):
            while child.running and time.monotonic() < deadline and not self.gate.force.is_set():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.process.wait(POLL_SECONDS)
            if child.running:
                say(f"The {child.name} did not stop in time: killing it.")
            # Also sweeps what the child left behind in its group (e.g. pool processes).
            _kill_group(child.process.pid)
            child.process.wait()


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class _WorkerProbe:
    """Pings Celery workers through the broker (celery's own `inspect ping`)."""

    def __init__(self, redis_url: str | None) -> None:
        self._app = Celery("onlineshop-launcher", broker=redis_url) if redis_url else None

    def answers(self) -> bool:
        if self._app is None:
            return True
        try:
            return bool(self._app.control.ping(timeout=0.5))
        except Exception:  # the broker may not answer yet either; try again later
            return False

    def __enter__(self) -> "_WorkerProbe":
        return self

    def __exit__(self, *_: object) -> None:
        if self._app is not None:
            self._app.close()


def _answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http URL
            return response.status == 200  # type: ignore[no-any-return]
    except (urllib.error.URLError, OSError):
        return False
