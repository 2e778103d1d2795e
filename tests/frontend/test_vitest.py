"""The frontend's component tests (Vitest, jsdom) against the real API of the stack: the
jsdom page's URL is the API's (frontend/vite.config.ts), the seeded accounts come as SHOP_*."""

import subprocess
import time

import pytest

from tests.frontend.stack import FRONTEND_DIR, Backend, node_environment, node_tool

VITEST_TIMEOUT_SECONDS = 540


@pytest.mark.timeout(VITEST_TIMEOUT_SECONDS + 60)
def test_vitest_passes_against_the_real_api(backend: Backend) -> None:
    env = node_environment({"API_URL": backend.api.url, **backend.accounts.environment()})
    started = time.monotonic()
    result = subprocess.run(
        [str(node_tool("vitest")), "run"],
        cwd=FRONTEND_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=VITEST_TIMEOUT_SECONDS,
        check=False,
    )
    output = result.stdout + result.stderr
    print(output)
    print(f"vitest: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, (
        f"`vitest run` exited with {result.returncode}:\n{output}\n{backend.diagnostics()}"
    )
