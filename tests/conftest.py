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


@pytest.fixture(autouse=True, scope="session")
def _test_settings():  # type: ignore[no-untyped-def]
    """Plain HTTP for the test client and the live server, for the whole session.

    Session-scoped so it is in force before the (session-scoped) live server loads its
    middleware; production keeps HTTPS redirects and secure cookies.
    """
    from django.conf import settings
    from django.test.utils import override_settings

    override = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        # The suite runs with DEBUG off, where two-factor log-in is required; tests of the
        # second factor itself (tests/cases/test_security.py) turn it back on.
        OTP_REQUIRED=False,
        # Real hashing costs ~0.3 s per test user; the hasher is not what these tests test.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    override.enable()
    # Close connections after each request, so the live server's threads do not keep the
    # test database open when it is dropped.
    from django.db import connections

    for conn in connections.all():
        conn.settings_dict["CONN_MAX_AGE"] = 0
    yield
    override.disable()


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_access_log_guard():  # type: ignore[no-untyped-def]
    """Transactional tests end with `flush`, a TRUNCATE of every table, which the access log's
    TRUNCATE trigger refuses (migration cases 0006). The test database's superuser flushes in
    replica mode, where ordinary triggers do not fire; outside the tests the guard stays."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        sql = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        # SET LOCAL: execute_sql_flush runs these in one transaction, and the mode ends with it.
        return ["SET LOCAL session_replication_role = replica", *sql] if sql else sql

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Every file a test stores (plan PDFs, the demo's documents) goes to the test's own
    folder, never to the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server):  # type: ignore[no-untyped-def]
    """A Playwright page in Debian's Chromium against the live server; skipped without Chromium."""
    import os
    import shutil

    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # The test's own queries between browser steps ran under Playwright's event loop,
            # on a connection the test database teardown does not see: close it here.
            from django.db import connections

            connections.close_all()


def browser_login(page, username: str, password: str = "secret-pass-123") -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """With several test processes (make test runs two), the tests on a real Celery worker
    share one process: two workers on one Redis queue would take each other's tasks."""
    for item in items:
        if item.get_closest_marker("real_worker"):
            item.add_marker(pytest.mark.xdist_group("real_worker"))
