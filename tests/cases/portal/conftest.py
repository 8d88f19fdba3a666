from __future__ import annotations

import pytest

from tests.cases.portal.helpers import parent_of, portal_account, portal_client


@pytest.fixture
def parent_account(family, alice):  # type: ignore[no-untyped-def]
    return portal_account(parent_of(family), alice)


@pytest.fixture
def parent_client(parent_account):  # type: ignore[no-untyped-def]
    return portal_client(parent_account)
