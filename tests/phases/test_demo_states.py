"""The demo shows every state of phase extensions, closing and aftercare."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import FamilyStatus
from phases.budget import phase_figures_for
from phases.models import AftercareCheckin, PhaseExtension, Step, Transition, TransitionStatus

pytestmark = pytest.mark.django_db


def test_demo_has_extensions_closings_and_aftercare():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()

    applied = PhaseExtension.objects.get(status=TransitionStatus.APPLIED)
    figures = phase_figures_for([applied.family_id], today=today)[applied.family_id]
    assert figures.extended and not figures.overdue
    assert PhaseExtension.objects.filter(status=TransitionStatus.PENDING).count() == 1

    closings = Transition.objects.filter(to_step=Step.CLOSED, status=TransitionStatus.APPLIED)
    assert all(c.closing_outcome and c.closing_reason for c in closings)
    assert closings.filter(into_aftercare=False, family__status=FamilyStatus.CLOSED).exists()

    held = AftercareCheckin.objects.filter(held_on__isnull=False, needs_help=False).get()
    assert held.family.status == FamilyStatus.AFTERCARE
    assert held.family.aftercare_checkins.planned().exists()
    need = AftercareCheckin.objects.get(needs_help=True)
    assert need.reopened_as is not None and need.family.status == FamilyStatus.REFERRED
