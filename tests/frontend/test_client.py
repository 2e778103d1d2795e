"""The committed typed client is the API's: frontend/openapi.json is what `onlineshop openapi`
prints, and openapi-typescript turns it into src/api/schema.d.ts byte for byte."""

import difflib
import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from tests.frontend.stack import FRONTEND_DIR, node_environment, node_tool

OPENAPI_JSON = FRONTEND_DIR / "openapi.json"
SCHEMA = FRONTEND_DIR / "src" / "api" / "schema.d.ts"
STALE = "The committed client is stale: run `make client` and commit the result."
DIFF_LINES = 80


def short_diff(committed: str, current: str, name: str) -> str:
    lines = difflib.unified_diff(
        committed.splitlines(),
        current.splitlines(),
        f"{name} (committed)",
        f"{name} (now)",
        n=2,
        lineterm="",
    )
    return "\n".join(list(lines)[:DIFF_LINES])


def test_openapi_json_is_the_apis_document() -> None:
    result = CliRunner().invoke(cli, ["openapi"])
    assert result.exit_code == 0, result.output
    current = json.loads(result.stdout)
    committed = json.loads(OPENAPI_JSON.read_text())
    assert committed == current, f"{STALE}\n" + short_diff(
        json.dumps(committed, indent=2, sort_keys=True),
        json.dumps(current, indent=2, sort_keys=True),
        "openapi.json",
    )


def test_schema_is_generated_from_openapi_json(tmp_path: Path) -> None:
    generated = tmp_path / "schema.d.ts"
    # As `npm run generate` does it: from frontend/, on the committed openapi.json.
    result = subprocess.run(
        [str(node_tool("openapi-typescript")), "openapi.json", "-o", str(generated)],
        cwd=FRONTEND_DIR,
        env=node_environment({}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    current, committed = generated.read_bytes(), SCHEMA.read_bytes()
    assert committed == current, f"{STALE}\n" + short_diff(
        committed.decode(errors="replace"), current.decode(errors="replace"), "schema.d.ts"
    )
