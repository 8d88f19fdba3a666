"""PostgreSQL runs the queries it has seen before as prepared statements (settings), and a
pooler that cannot keep them can switch that off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from cases.models import Family

ROOT = Path(__file__).resolve().parents[2]


def _database_settings(**env: str) -> dict:  # type: ignore[type-arg]
    """The DATABASES["default"] the settings module makes in a fresh process with `env`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'ENGINE': db['ENGINE'], 'OPTIONS': db.get('OPTIONS', {})}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "FK_DB_"))}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "familiekracht.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_postgresql_prepares_statements_unless_switched_off():
    url = "postgres://postgres@127.0.0.1:5432/familiekracht"
    on = _database_settings(DATABASE_URL=url)
    assert on["OPTIONS"]["server_side_binding"] is True
    assert on["OPTIONS"]["prepare_threshold"] == 5
    off = _database_settings(DATABASE_URL=url, FK_DB_PREPARED_STATEMENTS="0")
    assert "prepare_threshold" not in off["OPTIONS"]
    assert "server_side_binding" not in off["OPTIONS"]
    # No JIT compilation, with or without prepared statements.
    assert on["OPTIONS"]["options"] == off["OPTIONS"]["options"] == "-c jit=off"
    # Added to the URL's own start-up options, not in their place.
    given = _database_settings(DATABASE_URL=url + "?options=-c%20search_path%3Dfk")
    assert given["OPTIONS"]["options"] == "-c search_path=fk -c jit=off"
    # The embedded SQLite database has no such thing.
    assert _database_settings()["ENGINE"].endswith("sqlite3")
    assert _database_settings()["OPTIONS"] == {}


@pytest.mark.django_db
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
def test_a_query_run_again_is_a_prepared_statement(family):  # type: ignore[no-untyped-def]
    def prepared() -> list[tuple[str, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE %s",
                ['%"cases_family"."case_number" = $1%'],
            )
            return cursor.fetchall()  # type: ignore[no-any-return]

    for _ in range(8):
        assert Family.objects.filter(case_number=family.case_number).get() == family
    ((statement, generic, custom),) = prepared()
    # Prepared after five runs and run as such since: PostgreSQL parsed it once.
    assert generic + custom >= 3


@pytest.mark.django_db
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
def test_the_applications_connection_compiles_no_query_just_in_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        # The server's own default is untouched: only this application's sessions.
        cursor.execute("SELECT boot_val FROM pg_settings WHERE name = 'jit'")
        assert cursor.fetchone() == ("on",)
