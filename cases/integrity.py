"""Verification of the access log's hash chain (cases.log_chain), daily and by hand.

`access_log_verify_run()` is the job: Celery beat runs it daily (cases.tasks) and
`manage.py verify_access_log` runs the same function. It walks every row in id order, in
keyset batches so millions of rows take constant memory, and finds:

- a changed row: its HMAC no longer matches its fields;
- a removed row in the middle, or a row inserted out of line: the next row's prev_hash
  does not match the row before it (a removed first row: the new first row's prev_hash is
  not the genesis hash);
- removed rows at the end: a checkpoint written by an earlier successful run names a row
  (id and hash) that is no longer there.

On success it writes a checkpoint; on failure it logs an error and mails the coordinators of
every team and the superusers, naming only the row id (no family, no names).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from cases import log_chain
from cases.models import AccessLog, AccessLogCheckpoint, Role, UserPreference

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000

# Why verification failed (logged, and shown by the command in Dutch).
CHANGED = "changed"
BROKEN_LINK = "broken_link"
TAIL_REMOVED = "tail_removed"
CHECKPOINT_FORGED = "checkpoint_forged"


def _describe(reason: str) -> str:
    return {
        CHANGED: _("de regel is gewijzigd"),
        BROKEN_LINK: _("een regel ervoor ontbreekt of is gewijzigd"),
        TAIL_REMOVED: _("deze regel, eerder gecontroleerd, ontbreekt of is gewijzigd"),
        CHECKPOINT_FORGED: _("het controlepunt bij deze regel is vervalst"),
    }[reason]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    last_id: int | None = None
    last_hash: str = ""
    failed_at: int | None = None
    reason: str = ""

    @property
    def description(self) -> str:
        return _describe(self.reason) if self.reason else ""


def access_log_verify(*, batch_size: int = BATCH_SIZE) -> VerifyResult:
    """Walk the whole chain; read-only. The first break found is reported."""
    # Every earlier checkpoint must still be found, not only the newest: removing the
    # newest checkpoints with the rows they named would otherwise hide the removal. One
    # entry per daily run keeps this small.
    expected: dict[int, str] = {}
    for checkpoint in AccessLogCheckpoint.objects.order_by("pk").iterator():
        if checkpoint.mac != checkpoint.expected_mac():
            return VerifyResult(
                ok=False, rows=0, failed_at=checkpoint.last_id, reason=CHECKPOINT_FORGED
            )
        expected[checkpoint.last_id] = checkpoint.last_hash

    fields = ("pk", "prev_hash", "row_hash", *log_chain.HASHED_FIELDS)
    key = log_chain.chain_key()
    prev_hash = log_chain.GENESIS_HASH
    last_id = 0
    rows = 0
    while True:
        batch = list(
            AccessLog.objects.filter(pk__gt=last_id).order_by("pk").values(*fields)[:batch_size]
        )
        if not batch:
            break
        for row in batch:
            pk = row["pk"]
            if row["prev_hash"] != prev_hash:
                return VerifyResult(ok=False, rows=rows, failed_at=pk, reason=BROKEN_LINK)
            if log_chain.row_hash(prev_hash=prev_hash, values=row, key=key) != row["row_hash"]:
                return VerifyResult(ok=False, rows=rows, failed_at=pk, reason=CHANGED)
            if expected.pop(pk, row["row_hash"]) != row["row_hash"]:
                return VerifyResult(ok=False, rows=rows, failed_at=pk, reason=TAIL_REMOVED)
            prev_hash = row["row_hash"]
            rows += 1
        last_id = batch[-1]["pk"]
    if expected:
        # A checkpointed row was not met: rows were removed from the end (or the ids moved).
        return VerifyResult(ok=False, rows=rows, failed_at=min(expected), reason=TAIL_REMOVED)
    return VerifyResult(
        ok=True, rows=rows, last_id=last_id or None, last_hash=prev_hash if rows else ""
    )


def access_log_verify_run() -> VerifyResult:
    """Verify, then keep a checkpoint or raise the alarm. Safe to run twice."""
    result = access_log_verify()
    if not result.ok:
        logger.error(
            "Access log verification failed at row %s (%s) after %s good rows",
            result.failed_at,
            result.reason,
            result.rows,
        )
        _send_alert(result)
        return result
    newest = AccessLogCheckpoint.objects.order_by("-pk").first()
    if result.last_id is not None and (newest is None or newest.last_id != result.last_id):
        AccessLogCheckpoint.objects.create(last_id=result.last_id, last_hash=result.last_hash)
    # Also in the application's log, which lives outside the database: a copy of the
    # checkpoint that whoever rewrites the database cannot reach.
    logger.info(
        "Access log verified: %s rows, up to row %s with hash %s",
        result.rows,
        result.last_id,
        result.last_hash,
    )
    return result


def _alert_recipients() -> list[tuple[str, str]]:
    """(e-mail, language) of every team's coordinators and of the superusers."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role=Role.COORDINATOR))
        .exclude(email="")
        .distinct()
    )
    languages = dict(
        UserPreference.objects.filter(user__in=users).values_list("user_id", "language")
    )
    seen: set[str] = set()
    recipients = []
    for user in users.order_by("pk"):
        if user.email.lower() not in seen:
            seen.add(user.email.lower())
            recipients.append((user.email, languages.get(user.pk, settings.LANGUAGE_CODE)))
    return recipients


def _send_alert(result: VerifyResult) -> None:
    # The mail names only the row id: e-mail is no place for client data, and the row's
    # family is for the administrator to look up behind the log-in.
    for email, language in _alert_recipients():
        with translation.override(language):
            body = "\n".join(
                [
                    _("De controle van het toegangslog is mislukt bij regel %(n)s.")
                    % {"n": result.failed_at},
                    "",
                    _(
                        "Het toegangslog is mogelijk gewijzigd of er zijn regels verwijderd. "
                        "Meld dit als beveiligingsincident en laat de beheerder "
                        "`python manage.py verify_access_log` draaien."
                    ),
                ]
            )
            subject = _("FamilieKracht: controle van het toegangslog mislukt")
        try:
            send_mail(subject, body, None, [email])
        except Exception:
            # The error is logged above; one failing address must not stop the others.
            logger.exception("access log alert mail failed")
