"""The end-to-end scenarios (frontend/e2e/*.test.mjs): headless Debian chromium, driven by
playwright-core, against the storefront behind nginx over HTTPS, the real API, worker and
e-mail. Every step leaves a screenshot in test-artifacts/e2e/<scenario>/."""

import pytest

from app.core.config import PROJECT_ROOT
from tests.fixtures.nginx import MISSING_NGINX
from tests.frontend.stack import MISSING_CHROMIUM, Storefront, node_tool, reset_folder, run_node

ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts" / "e2e"
E2E_TIMEOUT_SECONDS = 840

pytestmark = [
    pytest.mark.skipif(MISSING_NGINX is not None, reason=MISSING_NGINX or ""),
    pytest.mark.skipif(MISSING_CHROMIUM is not None, reason=MISSING_CHROMIUM or ""),
]


@pytest.mark.timeout(E2E_TIMEOUT_SECONDS + 60)
def test_end_to_end_scenarios_pass_in_chromium(storefront: Storefront) -> None:
    node_tool("vite")  # a clear message when the frontend's packages are missing
    code, output = run_node(
        ["node", "--test", "--test-concurrency=1", "--test-reporter=spec", "e2e/"],
        {
            "BASE_URL": storefront.url,
            "MAILBOX_URL": storefront.backend.mailbox.url,
            "ARTIFACTS_DIR": str(reset_folder(ARTIFACTS_DIR)),
            **storefront.backend.accounts.environment(),
        },
        timeout=E2E_TIMEOUT_SECONDS,
    )
    assert code == 0, (
        f"The end-to-end scenarios failed ({code}); screenshots in {ARTIFACTS_DIR}\n"
        f"{output}\n{storefront.diagnostics()}"
    )
    assert list(ARTIFACTS_DIR.rglob("*.png")), "no screenshot was taken"
