"""A follow-up task from a contact: one field on the contact form.

Listed in settings.CONTACT_FORM_EXTENSIONS; cases.forms.ContactForm adds the field (on a new
contact only: a correction never makes a second task) and the contact services call `save`
inside their transaction. The task is the contact author's, due after
settings.TASK_DEFAULT_DUE_DAYS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Contact, Family, TaskSource
from cases.todo.forms import TITLE_MAX, default_due_on
from cases.todo.services import task_create

FIELD = "follow_up_task"


class FollowUpTask:
    def field_names(self) -> tuple[str, ...]:
        return (FIELD,)

    def add_fields(self, form: forms.BaseForm, *, family: Family, contact: Contact | None) -> None:
        if contact is not None and contact.pk:
            return
        form.fields[FIELD] = forms.CharField(
            label=_("Vervolgtaak (niet verplicht)"),
            max_length=TITLE_MAX,
            required=False,
            help_text=_("Komt in Mijn taken; bijvoorbeeld ‘school bellen’."),
        )

    def save(self, *, contact: Contact, values: Mapping[str, Any], created: bool = False) -> None:
        title = (values.get(FIELD) or "").strip()
        # Only with a new contact: a correction never makes a second task.
        if title and created:
            task_create(
                family=contact.family,
                by=contact.author,
                title=title,
                owner=contact.author,
                due_on=default_due_on(),
                source=TaskSource.CONTACT,
                contact=contact,
            )

    def snapshot(self, contact: Contact) -> dict[str, Any]:
        # The task is a record of its own; the contact's revisions do not follow it.
        return {}


follow_up_task = FollowUpTask()
