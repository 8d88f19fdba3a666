"""The family file, composed at the top: which parts it has comes from settings.

`cases` is the ground floor and imports no other app. Each app describes its own part of
the family file in `<app>/sections.py`; the project's settings list them in the method's
order (FAMILY_SECTIONS), and the family pages loop over that list: the tabs, the panels of
the overview and the main navigation. The same holds for what other apps add to the plan
page (FAMILY_PLAN_SLOTS), to the contact form (CONTACT_FORM_EXTENSIONS) and to planned
appointments (APPOINTMENT_EXTENSIONS).

Adding a section to the family file: define a `Section` in your app's `sections.py` and
add its dotted path to FAMILY_SECTIONS; nothing in `cases` changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from cases.models import Appointment, Contact, Family, FamilyPlan
    from cases.permissions import FamilyAccess


@dataclass(frozen=True)
class Section:
    """One part of the family file: a tab, and optionally a panel and navigation entries.

    `key` is the page's `active_tab`; `url_name` is reversed with the family's id. `panel`
    renders the part's summary on the overview from the gate's result (escaped HTML, ""
    for nothing to show); `nav_template` holds the app's entries in the main navigation.
    """

    key: str
    label: str | Promise
    url_name: str
    panel: Callable[[HttpRequest, FamilyAccess], str] | None = None
    nav_template: str = ""


@dataclass(frozen=True)
class PlanSlot:
    """What another app shows on the family plan page (reports: the plan's PDFs).

    `context(family, plan)` gives the names its templates use; `actions_template` renders
    among the plan's buttons, `template` under the plan's heading. Both render in the plan
    page's own context, so they see `family`, `plan` and the request.
    """

    context: Callable[[Family, FamilyPlan | None], dict[str, Any]]
    template: str = ""
    actions_template: str = ""


class ContactFormExtension(Protocol):
    """Fields another app adds to the contact form, and how they are kept.

    The contact services call `save` inside their transaction and `snapshot` for the
    revision's before and after; `values` are the extension's cleaned form fields, and
    `created` says the contact is new (nothing of the extension's is stored for it yet).
    """

    def add_fields(
        self, form: forms.BaseForm, *, family: Family, contact: Contact | None
    ) -> None: ...

    def field_names(self) -> tuple[str, ...]: ...

    def save(
        self, *, contact: Contact, values: Mapping[str, Any], created: bool = False
    ) -> None: ...

    def snapshot(self, contact: Contact) -> dict[str, Any]: ...


class AppointmentExtension(Protocol):
    """What another app adds to planned appointments (network: the network members
    expected, and recording a planned network meeting; reports: a planned case review).

    `add_fields`/`field_names`/`save` as for the contact form; `expected(appointment)` the
    names it adds to "who is expected"; `record_link(appointment)` the (label, url) of the
    page that records the meeting once it was held, or None. An optional `prefetch` tuple
    names the relations those read, for the agenda's lists to prefetch.
    """

    def add_fields(
        self, form: forms.BaseForm, *, family: Family, appointment: Appointment | None
    ) -> None: ...

    def field_names(self) -> tuple[str, ...]: ...

    def save(self, *, appointment: Appointment, values: Mapping[str, Any]) -> None: ...

    def expected(self, appointment: Appointment) -> list[str]: ...

    def record_link(self, appointment: Appointment) -> tuple[str, str] | None: ...


# cases' own parts of the family file; the plan and the records each have their own tab.
overview = Section(key="overview", label=_("Overzicht"), url_name="cases:family_detail")
plan = Section(key="plan", label=_("Gezinsplan"), url_name="cases:plan_detail")
records = Section(key="records", label=_("Dossier en privacy"), url_name="cases:records")


@cache
def _load(setting: str) -> tuple[Any, ...]:
    return tuple(import_string(path) for path in getattr(settings, setting))


def family_sections() -> tuple[Section, ...]:
    """The family file's sections, in the order of settings.FAMILY_SECTIONS."""
    return _load("FAMILY_SECTIONS")


def plan_slots() -> tuple[PlanSlot, ...]:
    return _load("FAMILY_PLAN_SLOTS")


def contact_form_extensions() -> tuple[ContactFormExtension, ...]:
    return _load("CONTACT_FORM_EXTENSIONS")


def appointment_extensions() -> tuple[AppointmentExtension, ...]:
    return _load("APPOINTMENT_EXTENSIONS")


def caseload_attention(families: list[tuple[int, int]]) -> dict[int, tuple[str, ...]]:
    """The caseload review's attention flags ("overdue", "over_budget", "no_contact") for
    (family id, team id) pairs, from settings.CASELOAD_ATTENTION (the review's own rules,
    in reports); no setting or no families, no flags."""
    path = getattr(settings, "CASELOAD_ATTENTION", "")
    if not path or not families:
        return {}
    return import_string(path)(families, today=timezone.localdate())  # type: ignore[no-any-return]


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    """Forget the loaded lists when a test overrides one of them."""
    if setting in (
        "FAMILY_SECTIONS",
        "FAMILY_PLAN_SLOTS",
        "CONTACT_FORM_EXTENSIONS",
        "APPOINTMENT_EXTENSIONS",
    ):
        _load.cache_clear()
