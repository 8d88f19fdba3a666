from __future__ import annotations

from tests.cases.portal.conftest import parent_account, parent_client  # noqa: F401
