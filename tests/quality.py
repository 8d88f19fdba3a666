"""Page quality checks for the browser journeys: axe-core (WCAG 2.1 A/AA) and the Nu HTML checker.

Both tools come from the npm registry, pinned in `tests/frontend/package-lock.json` and installed
by `make test` (`npm ci` in tests/frontend). Without them the checks skip with a message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

FRONTEND = Path(__file__).resolve().parent / "frontend" / "node_modules"
AXE_JS = FRONTEND / "axe-core" / "axe.min.js"
VNU_JAR = FRONTEND / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core in the page; return its violations (id, help and the offending nodes)."""
    if not AXE_JS.exists():
        pytest.skip(
            f"axe-core not installed at {AXE_JS}: run `make test` (npm ci in tests/frontend)"
        )
    # Evaluated through the DevTools protocol, so the page's CSP does not block it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe violations on {page.url}: {json.dumps(violations, indent=1)}"


def html_errors(pages: dict[str, str]) -> list[str]:
    """Validate HTML documents with the Nu HTML checker in one run; return its error messages."""
    java = shutil.which("java")
    if not VNU_JAR.exists() or java is None:
        pytest.skip(f"Nu HTML checker not available ({VNU_JAR}, java={java}): run `make test`")
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, (name, html) in enumerate(pages.items()):
            path = Path(tmp) / f"{i:03d}.html"
            path.write_text(html, encoding="utf-8")
            files.append((path, name))
        proc = subprocess.run(  # noqa: S603 - fixed arguments, local files
            [
                java,
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                *[str(p) for p, _ in files],
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        names = {p.name: name for p, name in files}
        messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    return [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m.get('message')} "
        f"[{(m.get('extract') or '').strip()[:120]}]"
        for m in messages
        if m.get("type") == "error"
    ]


def assert_valid_html(pages: dict[str, str]) -> None:
    errors = html_errors(pages)
    assert errors == [], "HTML errors:\n" + "\n".join(errors)
