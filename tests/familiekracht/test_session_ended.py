"""After a time-out the log-in page says that the session ended, why, and that typed work is
kept (familiekracht.middleware.SessionLimitMiddleware); after a log-out it says nothing of
the kind."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from familiekracht.middleware import LAST_SEEN_KEY, LOGIN_AT_KEY, SESSION_MARK_COOKIE

pytestmark = pytest.mark.django_db

PAGE = "cases:caseload"
IDLE = "Uw sessie is beëindigd omdat u 30 minuten niets heeft gedaan. Log opnieuw in."
ABSOLUTE = "Uw sessie is beëindigd: een sessie duurt hoogstens 10 uur. Log opnieuw in."
KEPT = (
    "Wat u in dit tabblad had getypt en nog niet had opgeslagen, is bewaard: na het inloggen "
    "staat het weer in het formulier."
)


def _age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def _login_page_after(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def test_after_the_idle_limit_the_login_page_says_why_and_that_work_is_kept(alice_client):
    url = reverse(PAGE)
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LAST_SEEN_KEY: 31 * 60})
    body = _login_page_after(alice_client, url)
    assert IDLE in body and KEPT in body
    assert ABSOLUTE not in body
    # Said once: the next visit of the log-in page is a plain one.
    assert IDLE not in alice_client.get(reverse("login")).content.decode()


def test_after_the_absolute_limit_the_login_page_says_so(alice_client):
    url = reverse(PAGE)
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LOGIN_AT_KEY: 10 * 3600 + 1, LAST_SEEN_KEY: 60})
    body = _login_page_after(alice_client, url)
    assert ABSOLUTE in body and KEPT in body
    assert IDLE not in body


def test_when_the_browser_dropped_the_session_cookie_the_login_page_still_says_why(
    alice_client, settings
):
    """SESSION_COOKIE_AGE is the idle limit, so mostly the browser forgets the session
    before the server can end it: the session mark cookie tells the log-in page."""
    url = reverse(PAGE)
    assert alice_client.get(url).status_code == 200
    mark = alice_client.cookies[SESSION_MARK_COOKIE]
    assert mark["httponly"] and not mark["max-age"]  # lasts until the browser closes
    del alice_client.cookies[settings.SESSION_COOKIE_NAME]
    body = _login_page_after(alice_client, url)
    assert IDLE in body and KEPT in body
    assert alice_client.cookies[SESSION_MARK_COOKIE].value == ""  # used once, then removed


def test_opening_the_login_page_itself_after_a_time_out_says_why(alice_client, settings):
    assert alice_client.get(reverse(PAGE)).status_code == 200
    del alice_client.cookies[settings.SESSION_COOKIE_NAME]
    body = alice_client.get(reverse("login")).content.decode()
    assert IDLE in body and KEPT in body


def test_after_a_log_out_the_login_page_says_nothing_of_a_time_out(alice_client, settings):
    assert alice_client.get(reverse(PAGE)).status_code == 200
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.cookies[SESSION_MARK_COOKIE].value == ""
    del alice_client.cookies[settings.SESSION_COOKIE_NAME]
    body = _login_page_after(alice_client, reverse(PAGE))
    assert IDLE not in body and ABSOLUTE not in body and KEPT not in body


def test_a_forged_mark_is_ignored(client):
    client.cookies[SESSION_MARK_COOKIE] = "1"
    body = _login_page_after(client, reverse(PAGE))
    assert IDLE not in body and ABSOLUTE not in body


def test_the_mark_holds_no_name_only_when_the_session_began(alice, alice_client):
    assert alice_client.get(reverse(PAGE)).status_code == 200
    value = alice_client.cookies[SESSION_MARK_COOKIE].value
    started = value.split(":")[0]
    assert started.isdigit() and abs(int(started) - time.time()) < 60
    assert alice.username not in value and str(alice.pk) != started


def test_the_message_follows_the_settings(alice_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 15 * 60
    url = reverse(PAGE)
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LAST_SEEN_KEY: 16 * 60})
    body = _login_page_after(alice_client, url)
    assert "omdat u 15 minuten niets heeft gedaan" in body
