"""The layer order and the domains' public faces hold, and a wrong import breaks them.

`make lint` runs import-linter over the real tree; here a copy of the tree gets one wrong
import at a time, to show that each kind is caught (a check that passes everything would
pass the real tree too).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # The copy's backend/ first on the path, ahead of the installed package.
    env = {**os.environ, "PYTHONPATH": str(tree / "backend")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    shutil.copytree(
        ROOT / "backend" / "app",
        tree / "backend" / "app",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(ROOT / "tools", tree / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tree / ".importlinter")
    return tree


def test_the_tree_keeps_every_contract(pristine: Path) -> None:
    result = lint_imports(pristine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(
    ("module", "wrong_import", "reported"),
    [
        pytest.param(
            "catalog/products.py",
            "def _orders() -> object:\n    from app.orders import service\n\n    return service\n",
            "app.catalog is not allowed to import app.orders",
            id="a lower layer imports a higher one, inside a function",
        ),
        pytest.param(
            "accounts/service.py",
            "from app.worker import celery_app as _celery_app\n",
            "app.accounts is not allowed to import app.worker",
            id="a domain imports an entry point",
        ),
        pytest.param(
            "cart/service.py",
            "from app.inventory import stock as _stock\n",
            "app.cart.service -> app.inventory.stock",
            id="a domain imports another domain's internal module",
        ),
        pytest.param(
            "main.py",
            "from app.catalog import search as _search\n",
            "app.main -> app.catalog.search",
            id="an entry point imports a domain's internal module",
        ),
        pytest.param(
            "core/pagination.py",
            "from app.accounts import models as _models\n",
            "app.core is not allowed to import app.accounts",
            id="core imports a domain",
        ),
    ],
)
def test_a_wrong_import_breaks_a_contract(
    pristine: Path, tmp_path: Path, module: str, wrong_import: str, reported: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    target = tree / "backend" / "app" / module
    target.write_text(target.read_text() + "\n\n" + wrong_import)

    result = lint_imports(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert reported in result.stdout
