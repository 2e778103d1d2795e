"""The frontend's component tests (Vitest, jsdom) against the real API of the stack: the
jsdom page's URL is the API's (frontend/vite.config.ts), the seeded accounts come as SHOP_*."""

import pytest

from tests.frontend.stack import Backend, node_tool, run_node

VITEST_TIMEOUT_SECONDS = 540


@pytest.mark.timeout(VITEST_TIMEOUT_SECONDS + 60)
def test_vitest_passes_against_the_real_api(backend: Backend) -> None:
    code, output = run_node(
        [str(node_tool("vitest")), "run"],
        {"API_URL": backend.api.url, **backend.accounts.environment()},
        timeout=VITEST_TIMEOUT_SECONDS,
    )
    assert code == 0, f"`vitest run` exited with {code}:\n{output}\n{backend.diagnostics()}"
