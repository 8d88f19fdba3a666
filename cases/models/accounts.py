"""Log-in: enrolment codes and recovery codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

# A first two-factor enrolment needs a one-time code from the coordinator (or an admin),
# so a password alone never reaches it; recovery codes stand in for a lost phone. Both
# kinds of code are stored only as salted hashes. Logic: cases/accounts/services.py.

# No 0/O, 1/I/L or U/V lookalikes to misread when the code is read out or copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"


def normalise_code(raw: str) -> str:
    """Upper case without spaces or dashes: how a typed code is compared."""
    return "".join(raw.split()).replace("-", "").upper()


def hash_code(code: str, *, salt: str | None = None) -> str:
    """`sha256$<salt>$<hex>` of the normalised code.

    A fast hash is enough: the codes are random with 50+ bits, not chosen by people,
    and each use is limited (attempts, throttling) in the application.
    """
    import hashlib
    import secrets

    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${normalise_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def code_matches(code: str, stored: str) -> bool:
    import hmac

    try:
        _algorithm, salt, _digest = stored.split("$", 2)
    except ValueError:
        return False
    return hmac.compare_digest(hash_code(code, salt=salt), stored)


RECOVERY_CODE_LENGTH = 12


def looks_like_recovery_code(raw: str) -> bool:
    code = normalise_code(raw)
    return len(code) == RECOVERY_CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


class EnrolmentCodeQuerySet(models.QuerySet["EnrolmentCode"]):
    def usable(self) -> EnrolmentCodeQuerySet:
        """Not used, not expired and not worn out by wrong guesses."""
        return self.filter(
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            failed_attempts__lt=settings.ENROLMENT_CODE_MAX_ATTEMPTS,
        )


class EnrolmentCode(models.Model):
    """A one-time code that lets a user enrol their first authenticator app.

    The plain code is shown once to the coordinator who made it; only its hash is kept.
    A newer code for the same user replaces the older ones (they are marked used).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_codes",
        verbose_name=_("gebruiker"),
    )
    code_hash = models.CharField(_("code (gehasht)"), max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    used_at = models.DateTimeField(_("gebruikt of vervangen op"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("verkeerde pogingen"), default=0)

    objects = EnrolmentCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inschrijfcode")
        verbose_name_plural = _("inschrijfcodes")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """Single-use recovery codes, for a user who lost the phone with the authenticator app.

    A django-otp device, so `django_otp.match_token` and `django_otp.login` treat a
    recovery code like any second factor. `code_hashes` holds the hashes of the codes
    not used yet; a used code is removed from it.
    """

    code_hashes = models.JSONField(_("herstelcodes (gehasht)"), default=list)

    class Meta(Device.Meta):
        verbose_name = _("herstelcodes")
        verbose_name_plural = _("herstelcodes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_RECOVERY_THROTTLE_FACTOR", 1)

    def verify_token(self, token: object) -> bool:
        # match_token offers every token to every device: a TOTP code is not ours to
        # count as a wrong guess.
        if not isinstance(token, str) or not looks_like_recovery_code(token):
            return False
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        for stored in self.code_hashes:
            if code_matches(token, stored):
                self.code_hashes = [h for h in self.code_hashes if h != stored]
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
                return True
        self.throttle_increment()
        return False
