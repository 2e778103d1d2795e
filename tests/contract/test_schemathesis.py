"""The OpenAPI document is a contract: schemathesis fuzzes a real server of the app against
/api/openapi.json, once anonymously and once per role, and must find nothing.

Every phase runs (examples, coverage, fuzzing, stateful: sequences of calls joined by the
document's links, or by links schemathesis infers from the answers), with every check
(server errors, schema and status conformance, rejected valid requests, accepted invalid
ones, Allow headers on 405 …). A failure prints schemathesis's report, with a curl command
that replays each finding against a running server.

The seed is fixed so that CI is reproducible; another one explores other inputs:
    CONTRACT_SEED=12345 python3 -m uv run pytest tests/contract
CONTRACT_MAX_EXAMPLES raises the cases per operation (and the run time) likewise.
"""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts.models import Role
from app.core.config import PROJECT_ROOT
from tests.conftest import servers
from tests.contract.seed import ACCOUNTS, place_order, seed_database
from tests.fixtures.api_server import ApiServer, start_uvicorn, stop

SEED = int(os.environ.get("CONTRACT_SEED", "20261207"))
# Cases per operation in the fuzzing and stateful phases (examples and coverage derive
# theirs from the document); sized for a few minutes in all on a 2-core machine.
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "10"))
# Stateful scenarios (chains of calls along the links) are cheap: more of them.
STATEFUL_EXAMPLES = 6 * MAX_EXAMPLES
# The floor is 1,000 cases in all: each of the four runs makes at least a quarter.
MIN_CASES_PER_RUN = 250
PHASES = "examples,coverage,fuzzing,stateful"
# schemathesis's defaults for positive_data_acceptance, plus 400 and 422 (see hooks.py).
ACCEPTED_FOR_VALID_DATA = ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429", "5xx"]
# A run logs in (and again on a 401) many times and sends many wrong passwords and e-mail
# requests: the throttles would answer 429 to most of it and hide what lies behind them.
UNTHROTTLED = dict.fromkeys(
    (
        "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP",
        "LOGIN_MAX_FAILURES_PER_IP",
        "LOGIN_ACCOUNT_CEILING",
        "EMAIL_REQUESTS_PER_ADDRESS_AND_IP",
        "EMAIL_REQUESTS_PER_IP",
        "EMAIL_ADDRESS_CEILING",
    ),
    "1000000",
)
# Nothing is excluded: every operation of the document is fuzzed, in every phase, as every
# role. The stock API's websocket (/api/v1/stores/live) is not an OpenAPI operation, so
# schemathesis never sees it. Nothing can end the runs' sessions for good: a new password
# or a deleted account needs the current password, which the runs never send (and a 401
# logs in again).


def config(role: Role | None) -> str:
    """schemathesis.toml for a run as `role` (None: anonymous). The token comes from
    logging in, and again whenever an answer is 401, so a run that changes the account's
    tokens (a new password, every session ended) goes on with a fresh one."""
    common = f"""
hooks = "tests.contract.hooks"

[generation]
max-examples = {MAX_EXAMPLES}

[phases.stateful.generation]
max-examples = {STATEFUL_EXAMPLES}

# Business rules a JSON Schema cannot state are answered 400 or 422 with their own code:
# hooks.valid_request_passes_validation fails any schema-valid request refused as malformed.
[checks.positive_data_acceptance]
expected-statuses = {json.dumps(ACCEPTED_FOR_VALID_DATA)}
"""
    if role is None:
        return common
    account = ACCOUNTS[role]
    return (
        common
        + f"""
[auth.dynamic.openapi.OAuth2PasswordBearer]
path = "/api/v1/auth/login"
payload = {{ username = "{account.email}", password = "{account.password}" }}
payload_content_type = "application/x-www-form-urlencoded"
extract_selector = "/access_token"
"""
    )


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    database_url = servers.fresh_database("onlineshop_contract")
    seed_database(database_url)
    log = tmp_path_factory.mktemp("contract") / "uvicorn.log"
    process, port = start_uvicorn(log, env={"DATABASE_URL": database_url, **UNTHROTTLED})
    server = ApiServer(url=f"http://127.0.0.1:{port}", port=port, log=log)
    try:
        place_order(f"{server.url}/api/v1")
        yield server
    finally:
        stop(process)


# Anonymous first, the admin last: the admin may deactivate or demote the other accounts.
@pytest.mark.parametrize(
    "role", [None, Role.CUSTOMER, Role.OPERATOR, Role.ADMIN], ids=lambda r: r or "anonymous"
)
def test_the_api_keeps_its_openapi_contract(
    shop: ApiServer, role: Role | None, tmp_path: Path
) -> None:
    config_file = tmp_path / "schemathesis.toml"
    config_file.write_text(config(role))
    argv = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config_file),
        "--no-color",
        "run",
        f"{shop.url}/api/openapi.json",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--seed",
        str(SEED),
        # Two: the machine's cores, shared with the server; each operation keeps its seed.
        "--workers",
        "2",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        # The replay commands must be complete: the tokens are a throwaway test run's.
        "--output-sanitize",
        "false",
        "--output-truncate",
        "false",
    ]
    run = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        check=False,
    )
    # With -s: the stateful scenarios and the cases the run generated.
    counts = [line.strip() for line in run.stdout.splitlines() if "Scenarios" in line]
    counts += [line.strip() for line in run.stdout.splitlines() if " generated, " in line]
    print(f"\n{role or 'anonymous'}: {'; '.join(counts)}")
    generated = re.search(r"^\s*(\d+) generated", run.stdout, re.MULTILINE)
    if run.returncode != 0:
        errors = [line for line in shop.log_lines() if '"level": "ERROR"' in line]
        pytest.fail(
            f"schemathesis found problems as {role or 'anonymous'} (seed {SEED}); each finding"
            f" ends with the curl command that replays it:\n{run.stdout}\n{run.stderr}"
            + ("\n--- the server's errors ---\n" + "\n".join(errors) if errors else ""),
            pytrace=False,
        )
    assert generated, run.stdout[-2000:]
    assert int(generated[1]) >= MIN_CASES_PER_RUN, run.stdout[-2000:]
