from __future__ import annotations

import datetime

import pytest

from cases.models import LifeDomain
from strengths.models import DomainScore, Moment, MomentKind, ScoreSheet


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Users are made per test; a slow hasher would dominate these tests' run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def moment(family, alice):  # type: ignore[no-untyped-def]
    return Moment.objects.create(
        family=family, kind=MomentKind.START, date=datetime.date(2026, 1, 10), created_by=alice
    )


def make_sheet(moment, user, perspective="joint", severity=2, lasting=(), **score_fields):  # type: ignore[no-untyped-def]
    """A saved sheet with all seven domains; `severity` may be an int or a dict per domain."""
    sheet = ScoreSheet.objects.create(moment=moment, perspective=perspective, updated_by=user)
    for code in LifeDomain.values:
        value = severity[code] if isinstance(severity, dict) else severity
        DomainScore.objects.create(
            sheet=sheet,
            domain=code,
            severity=value,
            strength=1,
            problem_present=code in lasting,
            long_lasting=code in lasting,
            **score_fields,
        )
    return sheet


def score_data(version="", **overrides):  # type: ignore[no-untyped-def]
    """POST data for the scoring page: every domain valid, then `overrides` ("child-severity")."""
    data = {"version": version}
    for code in LifeDomain.values:
        data.update(
            {
                f"{code}-severity": "2",
                f"{code}-strength": "1",
                f"{code}-own_words": f"Over {code} in eigen woorden",
                f"{code}-problem_present": "on",
                f"{code}-long_lasting": "on",
                f"{code}-share_own": "",
                f"{code}-share_network": "",
                f"{code}-share_professional": "",
            }
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
