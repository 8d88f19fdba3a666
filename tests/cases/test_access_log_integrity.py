"""The access log cannot be emptied by the application's database role, and every change
to it shows: the hash chain (cases.log_chain), its verification (cases.integrity), the
database roles (manage.py grant_app_role) and the TRUNCATE guard (migration cases 0006)."""

from __future__ import annotations

import importlib
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import RequestFactory
from django.urls import reverse

from cases import integrity, log_chain
from cases.models import AccessLog, AccessLogCheckpoint, AppendOnlyError, Role
from cases.permissions import log_access
from cases.tasks import verify_access_log
from tests.factories import UserFactory, member_of

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and triggers are PostgreSQL only"
)


def _row(**fields: object) -> AccessLog:
    return AccessLog(
        **{"username": "alice", "action": "read", "outcome": "allowed", **fields}  # type: ignore[arg-type]
    )


@pytest.fixture
def rows(alice, family) -> list[AccessLog]:  # type: ignore[no-untyped-def]
    """Rows written the ways the application writes them, oldest first."""
    request = RequestFactory().get(f"/families/{family.pk}/")
    request.user = alice
    log_access(request, family_id=family.pk, action="read", outcome="allowed", role="coach")
    AccessLog.objects.create(user=alice, username="alice", action="login", outcome="allowed")
    AccessLog.objects.bulk_create(
        [_row(family_id_ref=family.pk, object=f"contact {n}") for n in range(3)]
    )
    _row(family_id_ref=family.pk, action="export", object="PDF").save()
    return list(AccessLog.objects.order_by("pk"))


@contextmanager
def _triggers_off() -> Iterator[None]:
    """As the test database's superuser, with the append-only triggers off (an attacker
    with full rights, or one who took the owner's password)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = origin")


def _tamper(sql: str, params: list[object]) -> None:
    with _triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- The chain ---------------------------------------------------------------------------


def test_every_writer_chains_its_rows_in_id_order(rows):
    assert len(rows) == 6
    assert rows[0].prev_hash == log_chain.GENESIS_HASH
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.row_hash
    assert len({row.row_hash for row in rows}) == 6
    assert all(len(row.row_hash) == 64 for row in rows)
    result = integrity.access_log_verify()
    assert result.ok
    assert result.rows == 6
    assert result.last_id == rows[-1].pk


def test_a_page_view_through_the_gate_is_chained(alice_client, family):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    login, entry = AccessLog.objects.order_by("pk")  # force_login logs the log-in first
    assert (login.action, entry.family_id_ref) == ("login", family.pk)
    assert (login.prev_hash, entry.prev_hash) == (log_chain.GENESIS_HASH, login.row_hash)
    assert integrity.access_log_verify().ok


def test_rows_with_ids_or_conflict_options_are_refused(rows):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.bulk_create([_row()], ignore_conflicts=True)
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.create(id=rows[-1].pk + 100, username="x", action="read")
    assert AccessLog.objects.count() == 6


def test_verification_streams_in_batches(rows):
    assert integrity.access_log_verify(batch_size=2).ok
    _tamper("UPDATE cases_accesslog SET path = '/elders/' WHERE id = %s", [rows[4].pk])
    result = integrity.access_log_verify(batch_size=2)
    assert (result.ok, result.failed_at, result.reason) == (False, rows[4].pk, integrity.CHANGED)


def test_a_changed_row_is_found_and_named(rows):
    changed = rows[2]
    _tamper("UPDATE cases_accesslog SET object = 'niets' WHERE id = %s", [changed.pk])
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at, result.reason) == (False, changed.pk, integrity.CHANGED)
    with pytest.raises(CommandError, match=f"mislukt bij regel {changed.pk}"):
        call_command("verify_access_log")


def test_a_row_rehashed_without_the_key_is_found(rows):
    """Recomputing the chain needs the key, which is not in the database."""
    changed = rows[2]
    values = {name: getattr(changed, name) for name in log_chain.HASHED_FIELDS}
    values["object"] = "niets"
    forged = log_chain.row_hash(prev_hash=changed.prev_hash, values=values, key=b"guessed")
    _tamper(
        "UPDATE cases_accesslog SET object = 'niets', row_hash = %s WHERE id = %s",
        [forged, changed.pk],
    )
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at) == (False, changed.pk)


def test_a_removed_middle_row_is_found(rows):
    _tamper("DELETE FROM cases_accesslog WHERE id = %s", [rows[3].pk])
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at, result.reason) == (
        False,
        rows[4].pk,
        integrity.BROKEN_LINK,
    )


def test_a_removed_first_row_is_found(rows):
    _tamper("DELETE FROM cases_accesslog WHERE id = %s", [rows[0].pk])
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at) == (False, rows[1].pk)


def test_a_removed_tail_is_found_after_a_checkpoint(rows):
    assert integrity.access_log_verify_run().ok
    checkpoint = AccessLogCheckpoint.objects.get()
    assert (checkpoint.last_id, checkpoint.last_hash) == (rows[-1].pk, rows[-1].row_hash)
    # Rows written after the checkpoint do not disturb it.
    AccessLog.objects.create(username="bob", action="read", outcome="allowed")
    assert integrity.access_log_verify().ok

    _tamper("DELETE FROM cases_accesslog WHERE id >= %s", [rows[-2].pk])
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at, result.reason) == (
        False,
        rows[-1].pk,
        integrity.TAIL_REMOVED,
    )


def test_removing_the_newest_checkpoint_as_well_is_still_found(rows):
    assert integrity.access_log_verify_run().ok
    AccessLog.objects.create(username="bob", action="read", outcome="allowed")
    assert integrity.access_log_verify_run().ok
    assert AccessLogCheckpoint.objects.count() == 2
    newest = AccessLogCheckpoint.objects.order_by("-pk").first()
    _tamper("DELETE FROM cases_accesslogcheckpoint WHERE id = %s", [newest.pk])
    _tamper("DELETE FROM cases_accesslog WHERE id >= %s", [rows[-1].pk])
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at) == (False, rows[-1].pk)


def test_a_forged_checkpoint_is_found(rows):
    _tamper(
        "INSERT INTO cases_accesslogcheckpoint (verified_at, last_id, last_hash, mac) "
        "VALUES (CURRENT_TIMESTAMP, %s, %s, %s)",
        [rows[1].pk, rows[1].row_hash, "0" * 64],
    )
    result = integrity.access_log_verify()
    assert (result.ok, result.failed_at, result.reason) == (
        False,
        rows[1].pk,
        integrity.CHECKPOINT_FORGED,
    )


def test_verifying_twice_keeps_one_checkpoint(rows, capsys):
    call_command("verify_access_log")
    call_command("verify_access_log")
    assert AccessLogCheckpoint.objects.count() == 1
    assert "6 regels van het toegangslog gecontroleerd" in capsys.readouterr().out


def test_checkpoints_are_append_only_in_the_model_layer(rows):
    integrity.access_log_verify_run()
    checkpoint = AccessLogCheckpoint.objects.get()
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        AccessLogCheckpoint.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogCheckpoint.objects.update(last_id=1)


def test_the_alert_goes_to_coordinators_and_superusers_without_a_family(
    rows, family, team, other_team, coordinator
):
    coordinator.email = "coord@example.org"
    coordinator.save()
    member_of(other_team, Role.COORDINATOR, username="coord-dh", email="coord-dh@example.org")
    member_of(team, Role.COACH, username="coach2", email="coach2@example.org")
    UserFactory(username="root", email="root@example.org", is_superuser=True, is_staff=True)
    UserFactory(username="gone", email="gone@example.org", is_superuser=True, is_active=False)
    changed = rows[0]
    _tamper("UPDATE cases_accesslog SET username = 'iemand' WHERE id = %s", [changed.pk])

    with pytest.raises(CommandError):
        call_command("verify_access_log")

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["coord-dh@example.org", "coord@example.org", "root@example.org"]
    message = mail.outbox[0]
    assert f"De controle van het toegangslog is mislukt bij regel {changed.pk}." in message.body
    names = [family.display_name, family.case_number, "Jansen", "Naomi", "Noah"]
    for text in (message.subject, message.body):
        assert not any(name in text for name in names), text
    assert not AccessLogCheckpoint.objects.exists()


def test_the_failure_is_logged_as_an_error(rows, caplog):
    _tamper("DELETE FROM cases_accesslog WHERE id = %s", [rows[2].pk])
    with caplog.at_level("ERROR", logger="cases.integrity"):
        assert not integrity.access_log_verify_run().ok
    assert any(
        record.levelname == "ERROR" and str(rows[3].pk) in record.getMessage()
        for record in caplog.records
    )


def test_the_daily_task_runs_the_verification(rows):
    assert verify_access_log.delay().get() is True
    assert AccessLogCheckpoint.objects.get().last_id == rows[-1].pk
    entry = settings.CELERY_BEAT_SCHEDULE["access-log-verify-daily"]
    assert entry["task"] == verify_access_log.name == "cases.verify_access_log"


def test_the_migration_chains_rows_written_before_it(db):
    """cases 0006 chains the rows that existed without hashes, in id order."""
    with _triggers_off(), connection.cursor() as cursor:
        for n in range(5):
            cursor.execute(
                "INSERT INTO cases_accesslog (at, username, role, family_id_ref, action, "
                "object, outcome, path, prev_hash, row_hash) "
                "VALUES (CURRENT_TIMESTAMP, %s, '', %s, 'read', '', 'allowed', '/', '', '')",
                [f"user{n}", n],
            )
    assert not integrity.access_log_verify().ok
    migration = importlib.import_module("cases.migrations.0006_access_log_chain")
    state = MigrationLoader(connection).project_state(("cases", "0006_access_log_chain"))
    # What RunPython uses of its schema editor (SQLite allows no real one inside a test).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.chain_existing_rows(state.apps, editor)
    assert integrity.access_log_verify().ok
    if connection.vendor == "postgresql":  # the migration switched the trigger back on
        _refused("UPDATE cases_accesslog SET object = 'x'", because=TRIGGER)


# --- The database: roles and triggers (PostgreSQL) ---------------------------------------


@pytest.fixture
def app_role(db) -> str:
    """A role set up as in production, inside the test's transaction (rolled back after)."""
    role = f"fk_test_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("grant_app_role", role)
    return role


@contextmanager
def _as(role: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


DENIED = "permission denied"
NOT_OWNER = "must be owner"
TRIGGER = "append-only"


def _refused(sql: str, params: list[object] | None = None, *, because: str) -> None:
    with (
        pytest.raises(DatabaseError, match=because),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Run the deferred foreign-key checks of this test's inserts first: PostgreSQL
        # refuses TRUNCATE and ALTER TABLE while they are pending, which would hide the
        # reason under test.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


@postgresql_only
def test_the_app_role_cannot_empty_or_change_the_log(rows, app_role, alice):
    integrity.access_log_verify_run()
    first = rows[0].pk
    with _as(app_role):
        _refused("TRUNCATE cases_accesslog", because=DENIED)
        _refused("DELETE FROM cases_accesslog WHERE id = %s", [first], because=DENIED)
        _refused("UPDATE cases_accesslog SET object = 'x' WHERE id = %s", [first], because=DENIED)
        _refused(
            "UPDATE cases_accesslog SET row_hash = %s WHERE id = %s",
            ["0" * 64, first],
            because=DENIED,
        )
        _refused("ALTER TABLE cases_accesslog DISABLE TRIGGER ALL", because=NOT_OWNER)
        _refused(
            "ALTER TABLE cases_accesslog DISABLE TRIGGER cases_accesslog_no_truncate",
            because=NOT_OWNER,
        )
        _refused("DROP TABLE cases_accesslog", because=NOT_OWNER)
        _refused("SELECT setval('cases_accesslog_id_seq', 1)", because=DENIED)
        _refused("TRUNCATE cases_accesslogcheckpoint", because=DENIED)
        _refused("DELETE FROM cases_accesslogcheckpoint", because=DENIED)
        _refused("UPDATE cases_accesslogcheckpoint SET last_id = 1", because=DENIED)
        # What the application does: read, add (chained), and on_delete=SET_NULL.
        assert AccessLog.objects.count() == 6
        AccessLog.objects.create(username="bob", action="read", outcome="allowed")
        AccessLog.objects.bulk_create([_row(), _row()])
        alice.delete()
        assert integrity.access_log_verify_run().ok
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
    assert AccessLog.objects.count() == 9
    assert not AccessLog.objects.filter(user__isnull=False).exists()
    assert AccessLogCheckpoint.objects.count() == 2


@postgresql_only
def test_the_app_role_keeps_normal_rights_on_other_tables(app_role, family):
    with _as(app_role), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_family SET area = 'Osdorp' WHERE id = %s", [family.pk])
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0
        _refused("DELETE FROM django_migrations", because=DENIED)
        _refused("TRUNCATE cases_contact", because=DENIED)


@postgresql_only
def test_the_owner_cannot_truncate_either(rows):
    _refused("TRUNCATE cases_accesslog", because=TRIGGER)
    _refused("TRUNCATE cases_accesslogcheckpoint", because=TRIGGER)
    assert AccessLog.objects.count() == 6


@postgresql_only
def test_the_trigger_lets_only_user_id_become_null(rows):
    first = rows[1]
    assert first.user_id is not None
    _refused(
        "UPDATE cases_accesslog SET user_id = NULL, row_hash = %s WHERE id = %s",
        ["0" * 64, first.pk],
        because=TRIGGER,
    )
    _refused(
        "UPDATE cases_accesslog SET user_id = NULL, path = '/' WHERE id = %s",
        [first.pk],
        because=TRIGGER,
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_accesslog SET user_id = NULL WHERE id = %s", [first.pk])
    assert AccessLog.objects.get(pk=first.pk).user_id is None
    assert integrity.access_log_verify().ok


@postgresql_only
def test_grant_refuses_a_privileged_or_missing_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="eigenaar, een superuser"):
        call_command("grant_app_role", owner)
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("grant_app_role", f"fk_missing_{uuid.uuid4().hex[:8]}")
    with pytest.raises(CommandError, match="Ongeldige rolnaam"):
        call_command("grant_app_role", 'x"; DROP TABLE cases_accesslog; --')


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite path")
def test_grant_is_a_no_op_on_sqlite(db, capsys):
    call_command("grant_app_role", "familiekracht_app")
    assert "niets te doen" in capsys.readouterr().out


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Writers on separate connections, committing as they go: the advisory lock lets only
    one of them read the last hash and insert at a time."""
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(25):
                if i % 5 == 0:
                    AccessLog.objects.bulk_create([_row(object=f"{n}-{i}-a"), _row()])
                else:
                    AccessLog.objects.create(username=f"w{n}", action="read", outcome="allowed")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AccessLog.objects.count() == 4 * 30
    result = integrity.access_log_verify()
    assert result.ok, result
    prev_hashes = list(AccessLog.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == len(prev_hashes)


def test_check_deploy_warns_without_a_chain_key(settings):
    from django.core.checks import run_checks

    settings.ACCESS_LOG_CHAIN_KEY = ""
    assert "cases.W001" in [message.id for message in run_checks(include_deployment_checks=True)]
    settings.ACCESS_LOG_CHAIN_KEY = "a-key-of-its-own"
    assert "cases.W001" not in [
        message.id for message in run_checks(include_deployment_checks=True)
    ]
