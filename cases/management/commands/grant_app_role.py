"""Give the application's database role what it needs, and no more.

Two roles on PostgreSQL: the owner (migrations, this command) and the application's role
(web, worker, beat). The application may read and write every table except the NEN 7513
access log and its checkpoints, where it may only INSERT and SELECT, plus the one UPDATE
the model allows (user_id to NULL when a user is deleted; the trigger of migration cases 0006
refuses any other change). Not owning the tables, it cannot TRUNCATE, ALTER or DROP them,
nor switch their triggers off.

Run as the owner after every `migrate` (docker-compose.yml's `migrate` service does):
ALTER DEFAULT PRIVILEGES covers tables that later migrations create, but only re-running
this command puts the access-log tables back to insert-and-read should a migration ever
recreate them.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from cases.models import AccessLog, AccessLogCheckpoint

# Plain lower-case names only, so they can be quoted into SQL without doubt.
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _q(name: str) -> str:
    escaped = name.replace('"', '""')
    return f'"{escaped}"'


def grant_statements(*, role: str, owner: str, schema: str) -> list[str]:
    """The SQL that sets the application role's rights; idempotent."""
    role, owner, schema = _q(role), _q(owner), _q(schema)
    log, checkpoints = _q(AccessLog._meta.db_table), _q(AccessLogCheckpoint._meta.db_table)
    migrations = _q(MigrationRecorder.Migration._meta.db_table)
    return [
        # Start from nothing, so rights given by hand earlier do not linger.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        # Normal rights on every table (no TRUNCATE, REFERENCES or TRIGGER).
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        # nextval for inserts; no UPDATE, which would allow setval (ids out of chain order).
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # The access log: insert and read, and user_id alone may be updated (to NULL: trigger).
        f"REVOKE ALL ON {log}, {checkpoints} FROM {role}",
        f"GRANT SELECT, INSERT ON {log}, {checkpoints} TO {role}",
        f"GRANT UPDATE (user_id) ON {log} TO {role}",
        # Migrations are the owner's business.
        f"REVOKE ALL ON {migrations} FROM {role}",
        f"GRANT SELECT ON {migrations} TO {role}",
        # Tables and sequences that later migrations create get the normal rights.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the application's database role normal rights on every table, "
        "but only INSERT and SELECT on the access log. Run as the owner after each migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the application connects as")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, role: str, database: str, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write(
                _("%(vendor)s kent geen aparte databaserollen; er is niets te doen.")
                % {"vendor": connection.display_name}
            )
            return
        if not ROLE_NAME.match(role):
            raise CommandError(_("Ongeldige rolnaam: %(role)s.") % {"role": role})
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, current_schema(), r.rolsuper OR r.rolbypassrls, "
                "pg_has_role(r.oid, current_user, 'USAGE') "
                "FROM pg_roles r WHERE r.rolname = %s",
                [role],
            )
            found = cursor.fetchone()
            if found is None:
                raise CommandError(
                    _(
                        "De rol %(role)s bestaat niet. Maak hem eerst aan "
                        "(familiekracht/db/create-app-role.sh)."
                    )
                    % {"role": role}
                )
            owner, schema, privileged, shares_owner_rights = found
            if role == owner or privileged or shares_owner_rights:
                raise CommandError(
                    _(
                        "De rol %(role)s is de eigenaar, een superuser of lid van de eigenaar; "
                        "daarmee kan het toegangslog geleegd worden. Gebruik een eigen rol "
                        "voor de applicatie."
                    )
                    % {"role": role}
                )
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                "WHERE r.rolname = %s AND c.relnamespace = "
                "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())",
                [role],
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    _(
                        "De rol %(role)s is eigenaar van tabellen. Draai migrate als de "
                        "eigenaar, en geef die tabellen over met REASSIGN OWNED BY."
                    )
                    % {"role": role}
                )
            for statement in grant_statements(role=role, owner=owner, schema=schema):
                cursor.execute(statement)
        self.stdout.write(
            _(
                "Rechten van %(role)s gezet: het toegangslog alleen toevoegen en lezen, de "
                "overige tabellen lezen en schrijven. Draai dit opnieuw na elke migrate."
            )
            % {"role": role}
        )
