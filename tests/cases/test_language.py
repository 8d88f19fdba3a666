from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import UserPreference

pytestmark = pytest.mark.django_db


def test_dutch_by_default_whatever_the_browser_says(alice_client):
    response = alice_client.get(reverse("cases:caseload"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_user_chooses_english_and_it_sticks(alice, alice_client):
    url = reverse("cases:caseload")
    response = alice_client.post(reverse("cases:language_set"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert UserPreference.objects.get(user=alice).language == "en"
    response = alice_client.get(url)
    assert response["Content-Language"] == "en"
    assert "My caseload" in response.content.decode()
    assert "Mijn caseload" not in response.content.decode()
    # A new session (another device) starts in the chosen language too.
    other = Client()
    other.force_login(alice)
    page = other.get(url)
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
    assert "My caseload" in page.content.decode()


def test_unknown_language_changes_nothing(alice, alice_client):
    alice_client.post(reverse("cases:language_set"), {"language": "xx"})
    assert not UserPreference.objects.filter(user=alice).exists()
    assert alice_client.get(reverse("cases:caseload"))["Content-Language"] == "nl"


def test_language_switch_does_not_redirect_elsewhere(alice_client):
    response = alice_client.post(
        reverse("cases:language_set"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_language_switch_is_post_only(alice_client):
    assert alice_client.get(reverse("cases:language_set")).status_code == 405
