from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_checks_redis_when_configured(client, settings):
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: Redis is not part of this configuration")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get(reverse("healthz")).json()["checks"]["redis"] == "ok"


def test_healthz_reports_unreachable_redis_as_503(client, settings):
    # A port nothing listens on: the check must fail fast and say so, without details.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "redis": "error"}}


def test_database_check_fails_on_an_unreachable_server():
    from django.db.utils import ConnectionHandler

    from familiekracht.views import _database_ok

    # A real PostgreSQL connection to a port nothing listens on.
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": 1,
                "NAME": "none",
                "USER": "none",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    try:
        assert _database_ok(handler["default"]) is False
    finally:
        handler.close_all()


def test_healthz_get_only(client):
    assert client.post(reverse("healthz")).status_code == 405
