from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from cases.forms import DateInput
from cases.models import TEAM_WIDE_ROLES, Family, PlanAction, Task

TITLE_MAX = Task._meta.get_field("title").max_length


def writers(family: Family):  # type: ignore[no-untyped-def]
    """Who may own the family's task: the people who may change its file (the gate's rule:
    its coach, the involved team members, the team-wide roles), so the owner can tick it off."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__team_id=family.team_id)
        .filter(
            Q(pk=family.coach_id)
            | Q(involved_families=family)
            | Q(memberships__team_id=family.team_id, memberships__role__in=TEAM_WIDE_ROLES)
        )
        .distinct()
        .order_by("first_name", "username")
    )


def default_due_on() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.TASK_DEFAULT_DUE_DAYS)


class TaskForm(Form):
    title = forms.CharField(label=_("Taak"), max_length=TITLE_MAX)
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=get_user_model().objects.none())
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DateInput())
    plan_action = forms.ModelChoiceField(
        label=_("Hoort bij actie uit het gezinsplan"),
        queryset=PlanAction.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, family: Family, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = writers(family)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["owner"].initial = user.pk
        self.fields["due_on"].initial = default_due_on()
        # Only this family's plan actions: a foreign id is an invalid choice.
        self.fields["plan_action"].queryset = PlanAction.objects.filter(
            plan__family=family
        ).order_by("pk")

    def clean_due_on(self):  # type: ignore[no-untyped-def]
        due = self.cleaned_data.get("due_on")
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("Een nieuwe taak kan niet in het verleden vallen."))
        return due
