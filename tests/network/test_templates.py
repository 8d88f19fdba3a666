"""A strict Content Security Policy is coming: no inline scripts, event handlers or styles."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "network").glob("*.html"))


def test_network_templates_are_csp_clean():
    assert len(TEMPLATES) >= 10
    for path in TEMPLATES:
        text = path.read_text()
        assert "<script" not in text, path
        assert "<style" not in text and "style=" not in text, path
        assert not re.search(r"\son[a-z]+\s*=", text), path
