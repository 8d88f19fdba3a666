"""The NEN 7513 access log and the checkpoints of its verification."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import log_chain
from cases.models.teams import Role


class AccessAction(models.TextChoices):
    READ = "read", _("Inzien")
    CREATE = "create", _("Aanmaken")
    CHANGE = "change", _("Wijzigen")
    DELETE = "delete", _("Verwijderen")
    EXPORT = "export", _("Exporteren/afdrukken")
    SEARCH = "search", _("Zoeken")
    LOGIN = "login", _("Inloggen")
    LOGOUT = "logout", _("Uitloggen")
    LOGIN_FAILED = "login_failed", _("Mislukte inlogpoging")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Toegestaan")
    DENIED = "denied", _("Geweigerd")


class AppendOnlyError(Exception):
    """An existing access-log row was about to be changed or deleted."""


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: object) -> int:
        # The one update allowed: deleting a user sets `user` to NULL (on_delete=SET_NULL);
        # the username stays in the row. The PostgreSQL trigger allows the same.
        if set(kwargs) == {"user"} and kwargs["user"] is None:
            return super().update(**kwargs)
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only.")

    def bulk_create(  # type: ignore[override]
        self, objs: Iterable[AccessLog], batch_size: int | None = None, **kwargs: Any
    ) -> list[AccessLog]:
        """Insert new rows, each chained to the one before it, in the order given."""
        objs = list(objs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            # A skipped or merged row would leave a hole in the chain.
            raise AppendOnlyError("The access log takes new rows only.")
        if not objs:
            return objs
        for obj in objs:
            obj.check_new()
        self._for_write = True
        using = self.db
        with log_chain.writer_lock(using):
            prev_hash = AccessLog.last_hash(using)
            for obj in objs:
                obj.seal(prev_hash)
                prev_hash = obj.row_hash
            return super().bulk_create(objs, batch_size=batch_size, **kwargs)  # type: ignore[arg-type,return-value]


class AccessLog(models.Model):
    """NEN 7513 access log: who did what to which family's record, when, with what outcome.

    Rows are only ever added; the family is kept as a plain id so the log outlives it.
    Append-only is enforced here (save/delete, QuerySet.update/delete), in the admin and,
    on PostgreSQL, by triggers (migrations cases 0003 and 0006) and by the application's
    database role, which may only insert and read (`manage.py grant_app_role`).

    Tamper-evident: every row is chained to the one before it by an HMAC (cases.log_chain);
    `manage.py verify_access_log` (daily, cases.integrity) walks the chain.
    """

    at = models.DateTimeField(_("tijdstip (UTC)"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    role = models.CharField(_("rol"), max_length=32, blank=True)
    # Indexed with the id (Meta.indexes): the family's pages read it in id order.
    family_id_ref = models.BigIntegerField(_("gezin (id)"), null=True)
    action = models.CharField(_("handeling"), max_length=16, choices=AccessAction.choices)
    object = models.CharField(_("onderdeel"), max_length=200, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=AccessOutcome.choices)
    path = models.CharField(_("pagina"), max_length=300, blank=True)
    # The hash chain (cases.log_chain); set when the row is inserted, never by hand.
    prev_hash = models.CharField(_("vorige hash"), max_length=64, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        # The family's overview, its rows paged by id and its CSV (cases.records.accesslog)
        # all read `family_id_ref = %s` in id order: one index serves the three.
        indexes = [models.Index(fields=["family_id_ref", "id"], name="accesslog_family_id")]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        self.check_new()
        # The chain is sealed here, at the lowest level, so that every writer (log_access,
        # cases.audit, AccessLog.objects.create) is chained without knowing of it.
        using = kwargs.get("using") or router.db_for_write(AccessLog, instance=self)
        with log_chain.writer_lock(using):
            self.seal(AccessLog.last_hash(using))
            super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only.")

    @staticmethod
    def last_hash(using: str) -> str:
        """The newest row's hash; call it under log_chain.writer_lock only."""
        # Every page that logs reads it: plain SQL, as the ORM would write it, without
        # compiling a query each time.
        connection = connections[using]
        quote, meta = connection.ops.quote_name, AccessLog._meta
        column, table = quote(meta.get_field("row_hash").column), quote(meta.db_table)
        # The model's own quoted names, no input.
        sql = f"SELECT {column} FROM {table} ORDER BY {quote(meta.pk.column)} DESC LIMIT 1"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql)
            last = cursor.fetchone()
        return last[0] if last else log_chain.GENESIS_HASH

    def check_new(self) -> None:
        # Before the writer lock is taken: an error inside it fails the caller's transaction.
        if self.pk is not None:
            # Id order is chain order, so ids come from the database, in insert order.
            raise AppendOnlyError("A new access-log row gets its id from the database.")

    def seal(self, prev_hash: str) -> None:
        """Set prev_hash and row_hash for this new row, over its values as stored."""
        values = {}
        for name in log_chain.HASHED_FIELDS:
            field = cast("models.Field[Any, Any]", self._meta.get_field(name))
            # The value as the database will hold it (str for choices, an aware datetime),
            # so the hash computed now is the one verification recomputes from the row.
            value = field.get_prep_value(getattr(self, field.attname))
            setattr(self, field.attname, value)
            values[name] = value
        self.prev_hash = prev_hash
        self.row_hash = log_chain.row_hash(prev_hash=prev_hash, values=values)

    @property
    def role_label(self) -> str:
        return str(dict(Role.choices).get(self.role, self.role))


class AccessLogCheckpointQuerySet(models.QuerySet["AccessLogCheckpoint"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Access-log checkpoints are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access-log checkpoints are append-only.")


class AccessLogCheckpoint(models.Model):
    """A point up to which the access-log chain was verified (cases.integrity).

    The chain itself shows a changed or removed row up to the newest one; only these
    checkpoints show that rows at the end were removed. Append-only like the log, with an
    HMAC of their own (`mac`) so a forged checkpoint is noticed.
    """

    verified_at = models.DateTimeField(_("gecontroleerd op"), default=timezone.now)
    last_id = models.BigIntegerField(_("laatste regel (id)"))
    last_hash = models.CharField(_("hash van de laatste regel"), max_length=64)
    mac = models.CharField(max_length=64, editable=False)

    objects = AccessLogCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("controlepunt toegangslog")
        verbose_name_plural = _("controlepunten toegangslog")

    def __str__(self) -> str:
        return f"{self.verified_at:%Y-%m-%d %H:%M} #{self.last_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access-log checkpoints are append-only.")
        self.mac = self.expected_mac()
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access-log checkpoints are append-only.")

    def expected_mac(self) -> str:
        return log_chain.checkpoint_mac(
            last_id=self.last_id, last_hash=self.last_hash, verified_at=self.verified_at
        )
