from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Exports write files through cases.storage: never into the checkout's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"
