"""The demo's agenda, tasks and documents, made through the services the views call.

Each coach gets appointments this week and next (every kind and place), one that passed
without a contact, one logged in one tap and one cancelled; tasks from each source, some
overdue and some done; a few documents per family (small generated PDFs and images, one
with a second version). Everything is fictitious.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from cases.agenda import services as agenda_services
from cases.documents import services as document_services
from cases.models import (
    AppointmentKind,
    AppointmentPlace,
    ContactKind,
    DocumentKind,
    Family,
    FamilyStatus,
    LifeDomain,
    PlanAction,
    TaskSource,
)
from cases.todo import services as task_services
from reports.caseload import caseload_queryset
from reports.models import CaseReview

PURPOSES = {
    AppointmentKind.HOME_VISIT: "Doelen van deze week doornemen",
    AppointmentKind.PHONE: "Even bellen hoe het gaat",
    AppointmentKind.VIDEO: "Terugblik op de schoolweek",
    AppointmentKind.NETWORK_MEETING: "Netwerkberaad: wie helpt op woensdag",
    AppointmentKind.CASE_REVIEW: "Casusbespreking met het team",
    AppointmentKind.PLAN_EVALUATION: "Gezinsplan evalueren",
    AppointmentKind.AFTERCARE: "Nazorg: hoe gaat het nu",
}
PLACES = {
    AppointmentKind.HOME_VISIT: AppointmentPlace.HOME,
    AppointmentKind.PHONE: AppointmentPlace.ELSEWHERE,
    AppointmentKind.VIDEO: AppointmentPlace.ELSEWHERE,
    AppointmentKind.NETWORK_MEETING: AppointmentPlace.SCHOOL,
    AppointmentKind.CASE_REVIEW: AppointmentPlace.OFFICE,
    AppointmentKind.PLAN_EVALUATION: AppointmentPlace.HOME,
    AppointmentKind.AFTERCARE: AppointmentPlace.HOME,
}
TASKS = [
    "School bellen over het verzuim",
    "Aanvraag schuldhulp nakijken",
    "Oma Ria vragen voor de woensdag",
    "Verslag netwerkberaad rondsturen",
    "Huisarts om verwijzing vragen",
]
DOCUMENTS = [
    (DocumentKind.REFERRAL, "verwijsbrief-huisarts", "Verwijsbrief van de huisarts"),
    (DocumentKind.CONSENT, "toestemming-school", "Toestemming om met school te overleggen"),
    (DocumentKind.LETTER, "brief-woningcorporatie", "Brief over de huurachterstand"),
]


def _pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page PDF with a few lines of text (Pillow draws it; no other library)."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.text((50, 50), title, fill="black")
    for i, line in enumerate(lines):
        draw.text((50, 90 + 20 * i), line, fill="black")
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=72)
    return out.getvalue()


def _image(rng: random.Random) -> bytes:
    """A small "photo" of a drawing, as a phone would send it (JPEG)."""
    image = Image.new("RGB", (320, 240), (rng.randint(150, 255), 220, rng.randint(150, 255)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 60, 220, 180), outline="black", width=4)
    draw.text((110, 200), "tekening", fill="black")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _workday_before(day: datetime.date, days: int) -> datetime.date:
    """`days` days back, moved to the Friday before when that is a weekend."""
    earlier = day - datetime.timedelta(days=days)
    return earlier - datetime.timedelta(days=max(earlier.weekday() - 4, 0))


def _at(day: datetime.date, hour: int, minutes: int) -> tuple[datetime.time, datetime.time]:
    start = datetime.datetime.combine(day, datetime.time(hour))
    return start.time(), (start + datetime.timedelta(minutes=minutes)).time()


def _plan(family: Family, coach: Any, kind: str, day: datetime.date, hour: int, **extra: Any):  # type: ignore[no-untyped-def]
    starts, ends = _at(day, hour, 90 if kind == AppointmentKind.HOME_VISIT else 60)
    return agenda_services.appointment_create(
        family=family,
        by=coach,
        kind=kind,
        date=day,
        starts_at=starts,
        ends_at=ends,
        coach=coach,
        place=PLACES[AppointmentKind(kind)],
        purpose=PURPOSES[AppointmentKind(kind)],
        **extra,
    )


def seed(families: Sequence[Family], *, psychologist: Any | None, rng: random.Random) -> None:
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    kinds = list(AppointmentKind)
    active = [f for f in families if f.status == FamilyStatus.ACTIVE and f.coach_id]
    # A family the review finds calm stays calm (the caseload keeps a row without a tint);
    # overdue tasks go to every other family that already asks for attention.
    calm = set(
        caseload_queryset(active[0].team, today=today)
        .filter(pk__in=[f.pk for f in active], needs_attention=False, safety_flag=False)
        .values_list("pk", flat=True)
        if active
        else []
    )
    for index, family in enumerate(active):
        coach = family.coach
        members = list(family.members.all())
        network = list(family.network_members.order_by("pk")[:2])
        # This week and next: two appointments each, kinds in turn, mornings and afternoons.
        for week in (0, 1):
            for slot in (0, 1):
                kind = kinds[(index * 2 + week + slot) % len(kinds)]
                day = monday + datetime.timedelta(weeks=week, days=(index + slot * 2) % 5)
                if day < today:
                    day = today + datetime.timedelta(days=slot)
                colleagues = (
                    [psychologist] if kind == AppointmentKind.CASE_REVIEW and psychologist else []
                )
                # A planned network meeting expects the network too (network/appointments.py).
                extra = (
                    {"network_members_expected": network[:2]}
                    if kind == AppointmentKind.NETWORK_MEETING
                    else {}
                )
                _plan(
                    family,
                    coach,
                    kind,
                    day,
                    9 + 2 * slot + index % 3,
                    members=members[:2] if kind != AppointmentKind.CASE_REVIEW else [],
                    colleagues=colleagues,
                    **extra,
                )
        if index % 3 == 0:
            # Passed without a contact: on the coach's agenda and in the reminders.
            _plan(family, coach, AppointmentKind.HOME_VISIT, _workday_before(today, 2), 10)
        elif index % 3 == 1:
            # Held and logged in one tap: the contact carries the appointment's figures.
            held = _plan(
                family,
                coach,
                AppointmentKind.HOME_VISIT,
                _workday_before(today, 1),
                14,
                members=members[:2],
            )
            initial = agenda_services.contact_initial(held)
            agenda_services.appointment_log_contact(
                appointment=held,
                author=coach,
                date=initial["date"],
                minutes=initial["minutes"],
                kind=initial["kind"] or ContactKind.HOME_VISIT,
                members_present=initial["members_present"],
                domains=[LifeDomain.PARENTING, LifeDomain.FAMILY],
                note="Rustig gesprek; de ochtendroutine lukt beter.",
            )
        else:
            cancelled = _plan(
                family, coach, AppointmentKind.PHONE, today + datetime.timedelta(days=3), 16
            )
            agenda_services.appointment_cancel(appointment=cancelled)
        _seed_tasks(family, coach, index, today, calm=family.pk in calm)
        _seed_documents(family, coach, members, index, today, rng)


def _seed_tasks(
    family: Family, coach: Any, index: int, today: datetime.date, *, calm: bool
) -> None:
    contact = family.contacts.order_by("-date").first()
    action = PlanAction.objects.filter(plan__family=family).order_by("pk").first()
    sources: list[tuple[str, dict[str, Any]]] = [(TaskSource.MANUAL, {})]
    if contact is not None:
        sources.append((TaskSource.CONTACT, {"contact": contact}))
    if action is not None:
        sources.append((TaskSource.PLAN_ACTION, {"plan_action": action}))
    review_id = (
        CaseReview.objects.filter(family=family)
        .order_by("-date")
        .values_list("pk", flat=True)
        .first()
    )
    if review_id is not None:
        sources.append((TaskSource.CASE_REVIEW, {"case_review_ref": review_id}))
    for n, (source, extra) in enumerate(sources):
        # Every other family that asks for attention has an overdue task; one task per
        # family is done.
        offset = -3 if (n == 0 and index % 2 == 0 and not calm) else 2 + n * 3
        task = task_services.task_create(
            family=family,
            by=coach,
            title=TASKS[(index + n) % len(TASKS)],
            owner=coach,
            due_on=today + datetime.timedelta(days=offset),
            source=source,
            **extra,
        )
        if n == 1:
            task_services.task_set_done(task=task, by=coach, done=True)


def _seed_documents(
    family: Family,
    coach: Any,
    members: list[Any],
    index: int,
    today: datetime.date,
    rng: random.Random,
) -> None:
    for n, (kind, name, description) in enumerate(DOCUMENTS[: 2 + index % 2]):
        document = document_services.document_upload(
            family=family,
            by=coach,
            content=_pdf(description, [f"Dossier {family.case_number}", "Fictief demodocument."]),
            original_name=f"{name}.pdf",
            kind=kind,
            date=today - datetime.timedelta(days=30 - n * 7),
            members=members[:1],
            description=description,
        )
        if n == 0 and index % 2 == 1:
            document_services.document_replace(
                document=document,
                by=coach,
                content=_pdf(description + " (aangevuld)", ["Tweede versie."]),
                original_name=f"{name}-v2.pdf",
            )
    child = next((m for m in members if m.role == "child"), None)
    document_services.document_upload(
        family=family,
        by=coach,
        content=_image(rng),
        original_name="tekening.jpg",
        kind=DocumentKind.OTHER,
        date=today - datetime.timedelta(days=5),
        members=[child] if child else [],
        description="Tekening van thuis",
    )
