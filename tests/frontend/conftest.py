"""Fixtures of the frontend's tests: the stack of stack.py, started once per test run and
only when a test asks for it (`backend` for Vitest, `storefront` for the browser)."""

from collections.abc import Iterator

import pytest

from tests.conftest import servers
from tests.frontend.stack import Backend, Storefront, running_backend, running_storefront


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    database_url = servers.fresh_database("onlineshop_frontend")
    with running_backend(tmp_path_factory.mktemp("frontend-backend"), database_url) as running:
        yield running


@pytest.fixture(scope="session")
def storefront(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storefront]:
    with running_storefront(tmp_path_factory.mktemp("frontend-storefront"), backend) as running:
        yield running
