"""Handover with history, bulk handover, waarneming and notifications (cases/handover/)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.handover import services
from cases.models import (
    AccessLog,
    CoachChange,
    CoachChangeKind,
    CoachReplacement,
    Family,
    FamilyStatus,
    Notification,
    NotificationKind,
    Role,
)
from tests.factories import FamilyFactory, member_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def dave(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.COACH, username="dave", first_name="Dave", last_name="Dekker")


def handover(client, family, coach, **extra):  # type: ignore[no-untyped-def]
    data = {"coach": coach.pk, "reason": "Vertrekt naar een ander team", "note": ""}
    data.update(extra)
    return client.post(reverse("cases:family_handover", args=[family.pk]), data)


def test_a_handover_records_who_when_why_and_notifies_the_new_coach(
    family, alice, bob, coordinator, coordinator_client
):
    response = handover(coordinator_client, family, bob, note="Moeder belt liever 's avonds.")
    assert response["Location"] == reverse("cases:family_detail", args=[family.pk])
    family.refresh_from_db()
    assert family.coach == bob
    change = CoachChange.objects.get(family=family)
    assert (change.coach, change.previous_coach, change.changed_by) == (bob, alice, coordinator)
    assert change.kind == CoachChangeKind.HANDOVER
    assert change.reason == "Vertrekt naar een ander team"
    assert change.note == "Moeder belt liever 's avonds."
    assert abs(change.changed_at - timezone.now()) < datetime.timedelta(minutes=1)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.family, notification.kind) == (
        bob,
        family,
        NotificationKind.HANDOVER,
    )
    # The file shows its coaches over time, with the note for those who may write.
    body = coordinator_client.get(reverse("cases:family_detail", args=[family.pk])).content
    body = body.decode()
    assert "Vaste hulpverleners" in body and "Vertrekt naar een ander team" in body
    assert "Moeder belt liever" in body


def test_the_history_lists_every_coach_newest_first(family, alice, bob, dave, coordinator):
    services.coach_change(family=family, coach=bob, by=coordinator, reason="Verlof")
    services.coach_change(family=family, coach=dave, by=coordinator, reason="Vertrek")
    history = list(family.coach_changes.values_list("previous_coach", "coach", "reason"))
    assert history == [(bob.pk, dave.pk, "Vertrek"), (alice.pk, bob.pk, "Verlof")]
    with pytest.raises(services.SameCoach):
        services.coach_change(family=family, coach=dave, by=coordinator, reason="Nog eens")
    assert family.coach_changes.count() == 2


def test_a_handover_needs_a_reason_and_a_coach_of_the_team(
    family, alice, psychologist, charlie, bob, coordinator_client
):
    for coach, extra, message in [
        (bob, {"reason": ""}, "Geef de reden van de wissel."),
        (psychologist, {}, "Kies een coach uit het team van dit gezin."),
        (charlie, {}, "Kies een coach uit het team van dit gezin."),
        (alice, {}, "Kies een coach uit het team van dit gezin."),  # already the coach
        (bob, {"note": "x" * 2001}, "niet meer dan 2.000 tekens"),
    ]:
        response = handover(coordinator_client, family, coach, **extra)
        assert response.status_code == 200
        assert message in response.content.decode()
    family.refresh_from_db()
    assert family.coach == alice
    assert not CoachChange.objects.exists() and not Notification.objects.exists()


def test_only_the_coordinator_hands_over(
    family, bob, alice_client, psychologist_client, charlie_client
):
    url = reverse("cases:family_handover", args=[family.pk])
    assert alice_client.get(url).status_code == 403
    assert psychologist_client.get(url).status_code == 403
    assert charlie_client.get(url).status_code == 404
    assert handover(alice_client, family, bob).status_code == 403
    assert not CoachChange.objects.exists()
    assert AccessLog.objects.filter(family_id_ref=family.pk, outcome="denied").count() == 4


def test_a_coach_changed_on_the_family_form_is_in_the_history(
    family, alice, bob, coordinator, coordinator_client
):
    data = {
        "case_number": family.case_number,
        "display_name": family.display_name,
        "area": family.area,
        "team": family.team.pk,
        "status": family.status,
        "referrer": family.referrer,
        "referrer_detail": "",
        "referral_date": family.referral_date.isoformat(),
        "coach": bob.pk,
        "version": family.version,
    }
    response = coordinator_client.post(reverse("cases:family_edit", args=[family.pk]), data)
    assert response.status_code == 302
    change = CoachChange.objects.get(family=family)
    assert (change.previous_coach, change.coach, change.kind) == (alice, bob, CoachChangeKind.EDIT)
    assert Notification.objects.filter(recipient=bob, family=family).exists()


@pytest.fixture
def alices_families(team, alice):  # type: ignore[no-untyped-def]
    return [
        FamilyFactory(team=team, coach=alice, display_name=f"Gezin {name}", status=status)
        for name, status in [
            ("Aydin", FamilyStatus.ACTIVE),
            ("Bakker", FamilyStatus.AFTERCARE),
            ("Claes", FamilyStatus.REFERRED),
            ("Dekker", FamilyStatus.CLOSED),
        ]
    ]


def bulk_url(team, coach):  # type: ignore[no-untyped-def]
    return f"{reverse('cases:team_handover')}?team={team.pk}&coach={coach.pk}"


def test_bulk_handover_is_shown_first_then_done_in_one_confirmed_step(
    team, alice, bob, dave, coordinator, coordinator_client, alices_families
):
    aydin, bakker, claes, closed = alices_families
    FamilyFactory(team=team, coach=bob)  # bob has one already: dave gets the first
    bob.first_name = "Bob"  # on a tie, the first by name
    bob.save()
    url = bulk_url(team, alice)
    page = coordinator_client.get(url).content.decode()
    assert "Gezin Aydin" in page and "Gezin Dekker" not in page  # closed files stay
    data = {
        "families": [str(aydin.pk), str(bakker.pk), str(claes.pk)],
        "to_coaches": [str(bob.pk), str(dave.pk)],
        "reason": "Vertrek van de coach",
        "note": "Zie de overdrachtsmap.",
    }
    preview = coordinator_client.post(url, data)
    assert preview.status_code == 200
    plan = [(f.pk, c.pk) for f, c in preview.context["plan"]]
    assert plan == [(aydin.pk, dave.pk), (bakker.pk, bob.pk), (claes.pk, dave.pk)]
    assert not CoachChange.objects.exists()  # nothing moved before the confirmation
    response = coordinator_client.post(
        url, {**data, "confirm": "1", "plan": preview.context["signature"]}
    )
    assert response.status_code == 302
    coaches = dict(Family.objects.values_list("display_name", "coach__username"))
    assert coaches["Gezin Aydin"] == "dave" and coaches["Gezin Bakker"] == "bob"
    assert coaches["Gezin Claes"] == "dave" and coaches["Gezin Dekker"] == "alice"
    for family in (aydin, bakker, claes):
        change = CoachChange.objects.get(family=family)
        assert (change.previous_coach, change.kind, change.reason, change.changed_by) == (
            alice,
            CoachChangeKind.BULK,
            "Vertrek van de coach",
            coordinator,
        )
    assert sorted(Notification.objects.values_list("recipient__username", "family_id")) == sorted(
        [("dave", aydin.pk), ("bob", bakker.pk), ("dave", claes.pk)]
    )
    assert AccessLog.objects.filter(object="vaste hulpverlener: overdracht").count() == 3


def test_bulk_handover_of_chosen_families_to_one_coach(
    team, alice, bob, coordinator_client, alices_families
):
    aydin, bakker, _claes, _closed = alices_families
    url = bulk_url(team, alice)
    data = {"families": [str(bakker.pk)], "to_coaches": [str(bob.pk)], "reason": "Verlof"}
    preview = coordinator_client.post(url, data)
    coordinator_client.post(url, {**data, "confirm": "1", "plan": preview.context["signature"]})
    assert list(Family.objects.filter(coach=bob).values_list("pk", flat=True)) == [bakker.pk]
    assert Family.objects.get(pk=aydin.pk).coach == alice


def test_a_changed_plan_is_shown_again_and_nothing_moves(
    team, alice, bob, dave, coordinator_client, alices_families
):
    aydin, *_ = alices_families
    url = bulk_url(team, alice)
    data = {"families": [str(aydin.pk)], "to_coaches": [str(bob.pk)], "reason": "Verlof"}
    stale = f"{aydin.pk}:{dave.pk}"
    response = coordinator_client.post(url, {**data, "confirm": "1", "plan": stale})
    assert response.status_code == 200
    assert "De verdeling is intussen veranderd" in response.content.decode()
    assert Family.objects.get(pk=aydin.pk).coach == alice
    assert not CoachChange.objects.exists()


def test_bulk_handover_is_all_or_nothing(
    team, alice, bob, coordinator, alices_families, monkeypatch
):
    moving = alices_families[:3]
    calls = []
    original = services._notify

    def fail_on_the_third(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_notify", fail_on_the_third)
    with pytest.raises(RuntimeError):
        services.coach_handover_bulk(
            plan=[(f, bob) for f in moving], by=coordinator, reason="Vertrek"
        )
    assert set(
        Family.objects.filter(pk__in=[f.pk for f in moving]).values_list("coach", flat=True)
    ) == {alice.pk}
    assert not CoachChange.objects.exists() and not Notification.objects.exists()


def test_bulk_handover_is_for_the_coordinator_only(
    team, alice, alice_client, psychologist_client, charlie_client
):
    url = bulk_url(team, alice)
    assert alice_client.get(url).status_code == 403
    assert psychologist_client.get(url).status_code == 403
    assert charlie_client.get(url).status_code == 403


def test_bulk_handover_bad_input_moves_nothing(
    team, alice, bob, coordinator_client, alices_families
):
    url = bulk_url(team, alice)
    for data, message in [
        ({"to_coaches": [str(bob.pk)], "reason": "Verlof"}, "Kies minstens één gezin."),
        (
            {"families": [str(alices_families[0].pk)], "reason": "Verlof"},
            "Kies minstens één nieuwe coach.",
        ),
        (
            {"families": ["999999"], "to_coaches": [str(bob.pk)], "reason": "Verlof"},
            "Selecteer een geldige keuze",
        ),
        (
            {
                "families": [str(alices_families[0].pk)],
                "to_coaches": [str(alice.pk)],
                "reason": "x",
            },
            "Selecteer een geldige keuze",
        ),
    ]:
        response = coordinator_client.post(url, {**data, "confirm": "1", "plan": ""})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not CoachChange.objects.exists()


def replace(team, coach, replacement, starts_on, ends_on):  # type: ignore[no-untyped-def]
    return CoachReplacement.objects.create(
        team=team, coach=coach, replacement=replacement, starts_on=starts_on, ends_on=ends_on
    )


def test_a_replacement_writes_from_the_first_to_the_last_day(family, alice, bob, team, bob_client):
    edit = reverse("cases:family_edit", args=[family.pk])
    assert bob_client.get(edit).status_code == 403
    replacement = replace(team, alice, bob, TODAY() + DAY, TODAY() + 10 * DAY)
    assert bob_client.get(edit).status_code == 403  # not begun yet
    replacement.starts_on = TODAY()
    replacement.save()
    assert bob_client.get(edit).status_code == 200  # its first day
    assert family in Family.objects.caseload_of(bob)
    replacement.starts_on, replacement.ends_on = TODAY() - 10 * DAY, TODAY()
    replacement.save()
    assert bob_client.get(edit).status_code == 200  # its last day
    replacement.ends_on = TODAY() - DAY
    replacement.save()
    assert bob_client.get(edit).status_code == 403  # over, by itself
    assert family not in Family.objects.caseload_of(bob)


def test_a_replacement_covers_only_the_absent_coachs_families(
    family, alice, bob, dave, team, bob_client
):
    daves = FamilyFactory(team=team, coach=dave)
    replace(team, alice, bob, TODAY(), TODAY() + DAY)
    assert bob_client.get(reverse("cases:family_edit", args=[daves.pk])).status_code == 403


def test_the_coordinator_records_a_replacement_and_the_replacement_is_told(
    team, alice, bob, coordinator_client, bob_client, family
):
    url = reverse("cases:replacements")
    data = {
        "coach": alice.pk,
        "replacement": bob.pk,
        "starts_on": TODAY().isoformat(),
        "ends_on": (TODAY() + 14 * DAY).isoformat(),
    }
    assert coordinator_client.post(url, data).status_code == 302
    made = CoachReplacement.objects.get()
    assert (made.coach, made.replacement, made.team) == (alice, bob, team)
    assert Notification.objects.get(recipient=bob).kind == NotificationKind.REPLACEMENT
    page = bob_client.get(reverse("cases:notification_list")).content.decode()
    assert "U neemt waar voor een collega" in page
    # Ended early: the access stops today.
    coordinator_client.post(reverse("cases:replacement_end", args=[made.pk]))
    assert not CoachReplacement.objects.active_on().exists()
    assert bob_client.get(reverse("cases:family_edit", args=[family.pk])).status_code == 403


def test_replacement_bad_input_saves_nothing(team, alice, bob, coordinator_client, alice_client):
    url = reverse("cases:replacements")
    base = {"coach": alice.pk, "replacement": bob.pk, "starts_on": TODAY().isoformat()}
    for data, message in [
        (
            {**base, "ends_on": (TODAY() - DAY).isoformat()},
            "De laatste dag ligt vóór de eerste dag.",
        ),
        (
            {**base, "replacement": alice.pk, "ends_on": TODAY().isoformat()},
            "Kies een ander dan de afwezige coach.",
        ),
        ({**base, "ends_on": (TODAY() + 400 * DAY).isoformat()}, "hoogstens een jaar"),
        (
            {
                **base,
                "starts_on": (TODAY() - 9 * DAY).isoformat(),
                "ends_on": (TODAY() - DAY).isoformat(),
            },
            "De laatste dag is al voorbij.",
        ),
    ]:
        response = coordinator_client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not CoachReplacement.objects.exists()
    assert alice_client.get(url).status_code == 403


def test_notifications_are_listed_logged_and_marked_read(family, bob, coordinator, bob_client):
    services.coach_change(family=family, coach=bob, by=coordinator, reason="Verlof", note="Zie map")
    body = bob_client.get(reverse("cases:notification_list")).content.decode()
    assert "Gezin aan u overgedragen" in body and family.display_name in body
    assert "met overdrachtsnotitie" in body and "Zie map" not in body  # the note is in the file
    assert AccessLog.objects.filter(family_id_ref=family.pk, object="lijst: meldingen").exists()
    bob_client.post(reverse("cases:notification_list"))
    assert Notification.objects.get().read_at is not None


def test_no_notification_for_ones_own_handover(family, coordinator):
    member = coordinator  # a coordinator who takes a family on is not told about it
    from cases.models import Membership

    Membership.objects.filter(user=member).update(role=Role.COACH)
    services.coach_change(family=family, coach=member, by=member, reason="Neem het over")
    assert not Notification.objects.exists()
