"""Query parts built once per process and day (cases.daycache) stay correct when shared.

The family page's figures and the phase panel's episodes are built once per process, day
and user; these tests pin that a shared part never leaks one request's rows or one user's
figures into another's, and that a new day or a changed setting builds them again.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.daycache import DayCache
from cases.models import Family
from phases.models import Reminder, ReminderKind

pytestmark = pytest.mark.django_db


def test_a_shared_queryset_is_handed_out_as_a_clone(family):  # type: ignore[no-untyped-def]
    built = []
    cache = DayCache(lambda today: built.append(today) or Family.objects.all())
    first, second = cache.get(), cache.get()
    assert list(first) == [family] and list(second) == [family]
    assert first is not second
    # Built once; the shared one itself was never evaluated, so it holds no rows.
    assert built == [timezone.localdate()]
    assert cache._parts[()]._result_cache is None


def test_a_new_day_or_a_changed_setting_builds_again():  # type: ignore[no-untyped-def]
    built = []
    cache = DayCache(lambda today, n: built.append((today, n)) or {"n": n})
    today = timezone.localdate()
    assert cache.get(1) == {"n": 1} and cache.get(1) == {"n": 1} and cache.get(2) == {"n": 2}
    assert built == [(today, 1), (today, 2)]
    tomorrow = today + datetime.timedelta(days=1)
    with mock.patch("cases.daycache.timezone.localdate", return_value=tomorrow):
        cache.get(1)
    assert built[-1] == (tomorrow, 1)
    with override_settings(NO_CONTACT_DAYS=99):
        cache.get(1)
    assert len(built) == 4


def _unread(user, family, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        Reminder.objects.create(
            recipient=user,
            family=family,
            kind=ReminderKind.choices[0][0],
            subject=f"test-{user.pk}-{i}",
            due_on=timezone.localdate(),
        )


def test_each_user_sees_their_own_figures_on_the_family_page(  # type: ignore[no-untyped-def]
    family, alice, psychologist, alice_client, psychologist_client
):
    _unread(alice, family, 2)
    _unread(psychologist, family, 5)
    url = reverse("cases:family_detail", args=[family.pk])
    for client, count in ((alice_client, 2), (psychologist_client, 5), (alice_client, 2)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["unread_reminders"] == count


def test_the_phase_panel_shows_each_familys_own_episodes(  # type: ignore[no-untyped-def]
    family, alice, alice_client, team
):
    from tests.factories import FamilyFactory
    from tests.phases.helpers import open_phase

    other = FamilyFactory(team=team, coach=alice, display_name="Gezin Pietersen")
    today = timezone.localdate()
    open_phase(family, kind="analysis", started_on=today - datetime.timedelta(days=3))
    open_phase(other, kind="execution", started_on=today - datetime.timedelta(days=40))
    for shown, kind, not_shown in (
        (family, "Analysefase", "Uitvoeringsfase"),
        (other, "Uitvoeringsfase", "Analysefase"),
        (family, "Analysefase", "Uitvoeringsfase"),
    ):
        response = alice_client.get(reverse("cases:family_detail", args=[shown.pk]))
        panels = str(response.context["panels"])
        assert kind in panels and not_shown not in panels
