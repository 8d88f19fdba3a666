"""Shared fixtures. The trio mirrors healthchecks' alice/bob/charlie:

- alice: the family's own coach (writes),
- bob: a coach colleague in the same team, not involved (reads only: 403 on writes),
- charlie: a coach in another team (404 on everything of this family).
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Role
from familiekracht.celery import app as celery_app
from tests.factories import FamilyFactory, MemberFactory, TeamFactory, member_of


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    # Tests talk plain HTTP to the test client and the live server.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The suite runs with DEBUG off, where two-factor log-in is required; tests of the
    # second factor itself (tests/cases/test_security.py) turn it back on.
    settings.OTP_REQUIRED = False
    # Real hashing costs ~0.3 s per test user; the hasher is not what these tests test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _celery_in_process(request):  # type: ignore[no-untyped-def]
    """Run tasks in-process, except in tests marked `real_worker` (a real worker on Redis)."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def team(db):  # type: ignore[no-untyped-def]
    return TeamFactory(name="Amsterdam Zuidoost")


@pytest.fixture
def other_team(db):  # type: ignore[no-untyped-def]
    return TeamFactory(name="Den Haag")


@pytest.fixture
def alice(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.COACH, username="alice")


@pytest.fixture
def bob(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.COACH, username="bob")


@pytest.fixture
def charlie(other_team):  # type: ignore[no-untyped-def]
    return member_of(other_team, Role.COACH, username="charlie")


@pytest.fixture
def psychologist(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.PSYCHOLOGIST, username="psy")


@pytest.fixture
def coordinator(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.COORDINATOR, username="coord")


@pytest.fixture
def family(team, alice):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice, display_name="Gezin Jansen")
    MemberFactory(
        family=family,
        name="Naomi Jansen",
        role="mother",
        date_of_birth="1985-05-01",
        has_parental_authority=True,
    )
    MemberFactory(family=family, name="Noah Jansen")
    return family


def _client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):  # type: ignore[no-untyped-def]
    return _client_for(alice)


@pytest.fixture
def bob_client(bob):  # type: ignore[no-untyped-def]
    return _client_for(bob)


@pytest.fixture
def charlie_client(charlie):  # type: ignore[no-untyped-def]
    return _client_for(charlie)


@pytest.fixture
def psychologist_client(psychologist):  # type: ignore[no-untyped-def]
    return _client_for(psychologist)


@pytest.fixture
def coordinator_client(coordinator):  # type: ignore[no-untyped-def]
    return _client_for(coordinator)
