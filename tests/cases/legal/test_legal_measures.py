"""Legal measures per child: recording and changing them, the reminders before the end, the
family page's panel and the caseload flag "maatregel loopt af"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyStatus, LegalMeasure, MeasureKind
from phases.models import Reminder, ReminderKind
from phases.reminders import reminders_run
from reports.attention import caseload_attention
from reports.caseload import caseload_rows
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def active(family):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.ACTIVE
    family.save()
    return family


def noah(family):  # type: ignore[no-untyped-def]
    return family.members.get(name="Noah Jansen")


def measure(family, *, ends_in, kind=MeasureKind.OTS, starts_ago=300, **fields):  # type: ignore[no-untyped-def]
    return LegalMeasure.objects.create(
        family=family,
        member=fields.pop("member", None) or noah(family),
        kind=kind,
        starts_on=days(-starts_ago),
        ends_on=None if ends_in is None else days(ends_in),
        institution="William Schrikker Stichting",
        **fields,
    )


def legal_reminders():  # type: ignore[no-untyped-def]
    return Reminder.objects.filter(kind=ReminderKind.LEGAL_MEASURE_ENDS)


# --- Reminders before the end -----------------------------------------------------------


@pytest.mark.parametrize(
    ("ends_in", "lead_weeks"),
    [(57, None), (56, 8), (29, 8), (28, 4), (0, 4), (-1, None)],
)
def test_reminder_leads_on_their_boundaries(active, alice, psychologist, ends_in, lead_weeks):
    m = measure(active, ends_in=ends_in)
    reminders_run(today=TODAY, send_email=False)
    found = legal_reminders()
    if lead_weeks is None:
        assert not found.exists()
        return
    assert {r.recipient for r in found} == {alice, psychologist}
    assert {r.subject for r in found} == {f"legalmeasure:{m.pk}"}
    assert {r.due_on for r in found} == {m.ends_on - datetime.timedelta(weeks=lead_weeks)}


def test_each_lead_reminds_once(active, alice):
    m = measure(active, ends_in=56)
    reminders_run(today=TODAY, send_email=False)
    reminders_run(today=TODAY + datetime.timedelta(days=1), send_email=False)
    assert legal_reminders().count() == 1
    # Four weeks later the 4-week reminder comes, as a second one.
    reminders_run(today=m.ends_on - datetime.timedelta(weeks=4), send_email=False)
    assert sorted(r.due_on for r in legal_reminders()) == [
        m.ends_on - datetime.timedelta(weeks=8),
        m.ends_on - datetime.timedelta(weeks=4),
    ]


def test_leads_are_a_setting(active, alice, settings):
    settings.LEGAL_MEASURES = {**settings.LEGAL_MEASURES, "REMINDER_WEEKS": [12]}
    measure(active, ends_in=80)
    reminders_run(today=TODAY, send_email=False)
    assert legal_reminders().count() == 1


def test_no_reminder_for_a_continued_measure_or_a_closed_file(active, alice, team):
    measure(active, ends_in=10)
    # The verlenging: the same measure for the same child, from the day after.
    measure(active, ends_in=375, starts_ago=-11)
    assert LegalMeasure.objects.ending_between(TODAY, days(28)).count() == 0
    closed = FamilyFactory(team=team, coach=alice, status=FamilyStatus.CLOSED)
    measure(closed, ends_in=10, member=MemberFactory(family=closed))
    reminders_run(today=TODAY, send_email=False)
    assert not legal_reminders().exists()


def test_open_ended_voogdij_is_never_reminded(active, alice):
    measure(active, ends_in=None, kind=MeasureKind.GUARDIANSHIP)
    reminders_run(today=TODAY, send_email=False)
    assert not legal_reminders().exists()


# --- The caseload flag -------------------------------------------------------------------


@pytest.mark.parametrize(("ends_in", "flagged"), [(29, False), (28, True), (0, True), (-1, False)])
def test_caseload_flags_a_measure_ending_within_four_weeks(active, team, ends_in, flagged):
    measure(active, ends_in=ends_in)
    [row] = caseload_rows(team, today=TODAY)
    assert row.measure_ending is flagged
    assert ("measure_ending" in row.flags) is flagged
    if flagged:
        assert row.needs_attention
    attention = caseload_attention([(active.pk, team.pk)], today=TODAY)
    assert ("measure_ending" in attention.get(active.pk, ())) is flagged


def test_caseload_page_shows_and_filters_the_flag(active, team, psychologist_client):
    measure(active, ends_in=20)
    other = FamilyFactory(team=team, status=FamilyStatus.ACTIVE, display_name="Gezin Rustig")
    page = psychologist_client.get("/caseload/").content.decode()
    assert "maatregel loopt af" in page
    page = psychologist_client.get("/caseload/?flag=measure_ending").content.decode()
    assert active.display_name in page and other.display_name not in page


# --- The family page and the forms ------------------------------------------------------


def test_family_page_shows_the_measures(active, alice_client):
    measure(active, ends_in=20, urgent=True)
    measure(active, ends_in=None, kind=MeasureKind.GUARDIANSHIP)
    page = alice_client.get(reverse("cases:family_detail", args=[active.pk])).content.decode()
    section = page.split('id="measures-heading"')[1].split("</section>")[0]
    assert "Ondertoezichtstelling (OTS)" in section and "Voogdij" in section
    assert "loopt af over 20 dagen" in section
    assert "spoed/kort" in section
    assert "GI: William Schrikker Stichting" in section


def test_family_page_without_measures(active, alice_client):
    page = alice_client.get(reverse("cases:family_detail", args=[active.pk])).content.decode()
    assert "Geen maatregelen van de kinderrechter." in page


def measure_data(family, **overrides):  # type: ignore[no-untyped-def]
    return {
        "member": noah(family).pk,
        "kind": MeasureKind.PLACEMENT,
        "urgent": "",
        "starts_on": days(-10).isoformat(),
        "ends_on": days(355).isoformat(),
        "decided_on": days(-11).isoformat(),
        "institution": "Jeugdbescherming Regio Amsterdam",
        "note": "",
        **overrides,
    }


def test_measure_is_recorded_and_changed(active, alice, alice_client):
    response = alice_client.post(
        reverse("cases:legal_measure_create", args=[active.pk]), measure_data(active)
    )
    assert response.status_code == 302
    m = LegalMeasure.objects.get()
    assert (m.kind, m.member, m.recorded_by) == (MeasureKind.PLACEMENT, noah(active), alice)
    edit = reverse("cases:legal_measure_edit", args=[active.pk, m.pk])
    form = alice_client.get(edit)
    assert form.status_code == 200
    response = alice_client.post(
        edit, {**measure_data(active, ends_on=days(30).isoformat()), "version": m.version}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.ends_on == days(30) and m.version == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": days(-20).isoformat()}, "vóór de ingangsdatum"),
        ({"decided_on": days(5).isoformat()}, "toekomst"),
        ({"starts_on": ""}, "Dit veld is verplicht"),
        ({"kind": "ots_forever"}, "Selecteer een geldige keuze"),
        ({"institution": "x" * 201}, "niet meer dan 200 tekens"),
        ({"starts_on": "31-31-2026"}, "Voer een geldige datum in"),
    ],
)
def test_measure_bad_input(active, alice_client, overrides, message):
    response = alice_client.post(
        reverse("cases:legal_measure_create", args=[active.pk]), measure_data(active, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LegalMeasure.objects.exists()


def test_measure_only_for_a_child_of_this_family(active, alice_client, team):
    mother = active.members.get(name="Naomi Jansen")
    stranger = MemberFactory(family=FamilyFactory(team=team))
    for member in (mother, stranger):
        response = alice_client.post(
            reverse("cases:legal_measure_create", args=[active.pk]),
            measure_data(active, member=member.pk),
        )
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not LegalMeasure.objects.exists()


def test_measure_access(active, bob_client, charlie_client, alice_client, team):
    create = reverse("cases:legal_measure_create", args=[active.pk])
    assert bob_client.get(create).status_code == 403
    assert bob_client.post(create, measure_data(active)).status_code == 403
    assert charlie_client.get(create).status_code == 404
    assert charlie_client.post(create, measure_data(active)).status_code == 404
    m = measure(active, ends_in=20)
    edit = reverse("cases:legal_measure_edit", args=[active.pk, m.pk])
    assert bob_client.post(edit, measure_data(active)).status_code == 403
    assert charlie_client.get(edit).status_code == 404
    # A measure of another family through this family's URL: 404.
    other = FamilyFactory(team=team, coach=active.coach)
    theirs = measure(other, ends_in=20, member=MemberFactory(family=other))
    assert (
        alice_client.get(
            reverse("cases:legal_measure_edit", args=[active.pk, theirs.pk])
        ).status_code
        == 404
    )
    assert LegalMeasure.objects.count() == 2


def test_family_page_does_not_flag_a_continued_measure(active, alice_client):
    measure(active, ends_in=5)
    measure(active, ends_in=370, starts_ago=-6)
    page = alice_client.get(reverse("cases:family_detail", args=[active.pk])).content.decode()
    section = page.split('id="measures-heading"')[1].split("</section>")[0]
    assert section.count("<strong>Noah Jansen</strong>") == 2
    assert "loopt af over" not in section
