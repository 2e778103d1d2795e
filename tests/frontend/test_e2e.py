"""The end-to-end scenarios (frontend/e2e/*.test.mjs): headless Debian chromium, driven by
playwright-core, against the storefront behind nginx over HTTPS, the real API, worker and
e-mail. Every step leaves a screenshot in test-artifacts/e2e/<scenario>/."""

import subprocess
import time

import pytest

from app.core.config import PROJECT_ROOT
from tests.fixtures.nginx import MISSING_NGINX
from tests.frontend.stack import (
    CHROMIUM,
    FRONTEND_DIR,
    MISSING_CHROMIUM,
    Storefront,
    node_environment,
    reset_folder,
)

ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts" / "e2e"
E2E_TIMEOUT_SECONDS = 840

pytestmark = [
    pytest.mark.skipif(MISSING_NGINX is not None, reason=MISSING_NGINX or ""),
    pytest.mark.skipif(MISSING_CHROMIUM is not None, reason=MISSING_CHROMIUM or ""),
]


@pytest.mark.timeout(E2E_TIMEOUT_SECONDS + 60)
def test_end_to_end_scenarios_pass_in_chromium(storefront: Storefront) -> None:
    env = node_environment(
        {
            "BASE_URL": storefront.url,
            "CHROMIUM_PATH": str(CHROMIUM),
            "MAILBOX_URL": storefront.backend.mailbox.url,
            "ARTIFACTS_DIR": str(reset_folder(ARTIFACTS_DIR)),
            **storefront.backend.accounts.environment(),
        }
    )
    started = time.monotonic()
    result = subprocess.run(
        ["node", "--test", "--test-concurrency=1", "--test-reporter=spec", "e2e/"],
        cwd=FRONTEND_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=E2E_TIMEOUT_SECONDS,
        check=False,
    )
    output = result.stdout + result.stderr
    print(output)
    print(f"e2e: {time.monotonic() - started:.1f} s; screenshots in {ARTIFACTS_DIR}")
    assert result.returncode == 0, (
        f"The end-to-end scenarios failed ({result.returncode}); screenshots in"
        f" {ARTIFACTS_DIR}\n{output}\n{storefront.diagnostics()}"
    )
    assert list(ARTIFACTS_DIR.rglob("*.png")), "no screenshot was taken"
