from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_form_wide_errors_are_announced(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})
    body = response.content.decode()
    assert response.status_code == 200
    start = body.index('<div class="alert alert-block alert-danger"')
    assert 'role="alert"' in body[start : body.index(">", start)]
