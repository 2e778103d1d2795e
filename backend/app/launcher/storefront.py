"""The storefront for `onlineshop run`: built from frontend/ with npm when its build is
missing or older than the sources, so that a fresh checkout opens the shop at `/`.

A failed or impossible build (no Node.js) is reported and the API starts anyway: the shop's
API, admin and docs do not need it.
"""

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from app.core.config import PROJECT_ROOT
from app.core.storefront import is_built
from app.launcher.console import say

FRONTEND_DIR = PROJECT_ROOT / "frontend"
# What the build is made of (node_modules and the build itself excluded).
SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")
BUILD_TIMEOUT_SECONDS = 600
OUTPUT_TAIL_LINES = 30


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from (child for child in path.rglob("*") if child.is_file())
        elif path.is_file():
            yield path


def newest_source_mtime(frontend: Path = FRONTEND_DIR) -> float:
    return max((file.stat().st_mtime for file in _files(frontend / s for s in SOURCES)), default=0)


def is_stale(dist: Path, frontend: Path = FRONTEND_DIR) -> bool:
    if not is_built(dist):
        return True
    return newest_source_mtime(frontend) > (dist / "index.html").stat().st_mtime


def _install_stamp(frontend: Path) -> Path:
    # The Makefile's stamp too (`make frontend`): one notion of "installed" for both.
    return frontend / "node_modules" / ".npm-ci.stamp"


def _needs_install(frontend: Path) -> bool:
    stamp = _install_stamp(frontend)
    lock = frontend / "package-lock.json"
    return not stamp.exists() or lock.stat().st_mtime > stamp.stat().st_mtime


def _run(command: list[str], cwd: Path) -> bool:
    try:
        result = subprocess.run(  # noqa: S603 - npm with our own arguments
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        say(f"`{' '.join(command)}` took more than {BUILD_TIMEOUT_SECONDS} s and was stopped.")
        return False
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        say(f"`{' '.join(command)}` failed:")
        say("\n".join(output[-OUTPUT_TAIL_LINES:]))
        return False
    return True


def ensure_storefront(dist: Path, frontend: Path = FRONTEND_DIR) -> bool:
    """Build the storefront into `dist` when needed; whether a build is there to serve."""
    if not (frontend / "package.json").is_file():
        return is_built(dist)  # an installation without the sources (a container, say)
    if not is_stale(dist, frontend):
        return True
    npm = shutil.which("npm")
    if npm is None:
        say(
            "Node.js (npm) was not found, so the storefront cannot be built: the API, admin and"
            " docs still run. Install Node.js 20 or newer and start again."
        )
        return is_built(dist)
    say("Building the storefront (npm ci, vite build): the first time takes a minute …")
    if _needs_install(frontend):
        if not _run([npm, "ci", "--no-audit", "--no-fund"], frontend):
            return is_built(dist)
        _install_stamp(frontend).touch()
    # Vite alone: type errors are for `make test` to report, they must not keep the shop shut.
    vite_build = [npm, "exec", "--", "vite", "build", "--outDir", str(dist), "--emptyOutDir"]
    built = _run(vite_build, frontend)
    if not built:
        say(
            "The storefront was not rebuilt"
            + (": serving the previous build." if is_built(dist) else ".")
        )
    return is_built(dist)
