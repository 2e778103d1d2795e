"""`.env.example` documents every setting, and nothing that is not one."""

import re

from app.core.config import PROJECT_ROOT, Settings

# `NAME=value` or `# NAME=` (a commented-out setting without a default worth showing).
ASSIGNMENT = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_env_example_lists_every_setting() -> None:
    text = (PROJECT_ROOT / ".env.example").read_text()
    documented = set(ASSIGNMENT.findall(text))
    assert documented == set(Settings.model_fields)
