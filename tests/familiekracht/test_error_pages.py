"""The error pages speak Dutch sentences of our own, never Django's English defaults."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Forbidden", "Server Error", "CSRF verification failed", "requested")


def _is_ours(body: str, sentence: str) -> None:
    assert sentence in body, body
    assert not any(text in body for text in ENGLISH), body
    assert '<html lang="nl">' in body


def test_a_missing_page_is_a_dutch_sentence(alice_client):
    response = alice_client.get("/families/987654321/")
    assert response.status_code == 404
    _is_ours(response.content.decode(), "Deze pagina bestaat niet (meer), of is niet voor u.")


def test_a_refused_action_is_a_dutch_sentence(family, bob_client):
    response = bob_client.get(reverse("cases:contact_create", args=[family.pk]))
    assert response.status_code == 403
    _is_ours(response.content.decode(), "U mag deze pagina of handeling niet gebruiken.")


def test_an_expired_form_token_is_a_dutch_sentence(family, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("cases:contact_create", args=[family.pk]), {"minutes": "5"})
    assert response.status_code == 403
    _is_ours(response.content.decode(), "Dit formulier is verlopen of kwam niet van deze pagina")


def test_a_server_error_is_a_dutch_sentence():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    _is_ours(response.content.decode(), "Er ging iets mis aan onze kant")
