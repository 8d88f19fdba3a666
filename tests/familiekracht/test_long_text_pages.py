"""Every page of the application with a limited text field, found by walking the URL
patterns on the demo data: an over-long text is refused with a sentence that names the
limit, the page shows the whole text again, and nothing is saved.

The form-level rules are tested per form class in test_form_messages.py; this walk makes
sure no view throws the text away (a redirect, a page built from other data).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from cases.formbase import grouped
from cases.models import Family, Membership, Role
from familiekracht.demo.users import DEMO_PREFIX
from tests.cases.test_permission_matrix import all_routes

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321
# A Krachtgezin of the pool hangs from a family through its matching.
FAMILY_PATHS = ("family", "plan__family", "meeting__family", "matches__family")


def _object_id(kwarg: str, family: Family) -> int:
    """An id for `<name>_id`: an object of `family` of a model named so (or ending so)."""
    wanted = kwarg.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        name = model._meta.model_name
        if name != wanted and not name.endswith(wanted):
            continue
        for path in FAMILY_PATHS:
            try:
                obj = model._default_manager.filter(**{path: family}).order_by("pk").first()
            except Exception:  # noqa: BLE001, S112 - the model does not hang from a family so
                continue
            if obj is not None:
                return obj.pk
    return MISSING_ID


def _url(route: Any, family: Family) -> str | None:
    kwargs = {}
    for name, converter in route.converters.items():
        if name == "family_id":
            kwargs[name] = family.pk
        elif converter.regex == "[0-9]+":
            kwargs[name] = _object_id(name, family)
        else:
            return None
    return reverse(route.name, kwargs=kwargs)


def _forms(response: Any) -> list[forms.BaseForm]:
    found: dict[int, forms.BaseForm] = {}
    contexts = response.context or []
    for context in [contexts] if isinstance(contexts, dict) else contexts:
        for layer in getattr(context, "dicts", [context]):
            for value in layer.values():
                for item in value if isinstance(value, list | tuple) else [value]:
                    if isinstance(item, forms.BaseForm):
                        found[id(item)] = item
                    elif isinstance(item, forms.BaseFormSet):
                        # A formset's rows, and its management form, go with its page.
                        for part in [item.management_form, *item.forms]:
                            found[id(part)] = part
    return list(found.values())


def _limited(form: forms.BaseForm) -> list[str]:
    if not getattr(form, "text_limits", False):
        return []
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and field.max_length and not field.widget.is_hidden
    ]


def _as_posted(form: forms.BaseForm) -> dict[str, Any]:
    """The form as the page shows it, as a browser would send it back."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value in (None, False) or value == []:
            continue
        if value is True:
            value = "on"
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


class _FormActions(HTMLParser):
    """field id -> the action of the <form> it is in, from a page's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.actions: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action") or ""
        elif tag in ("input", "textarea", "select") and self.action is not None:
            self.actions.setdefault(attributes.get("id") or "", self.action)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.action = None


def _action(page: str, field_id: str, url: str) -> str | None:
    """Where the form with this field posts to; None when the page does not show it."""
    parser = _FormActions()
    parser.feed(page)
    action = parser.actions.get(field_id)
    return None if action is None else action or url


def _snapshot() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("cases", "phases", "network", "strengths", "reports")
        for model in apps.get_app_config(app).get_models()
        if model._meta.model_name not in ("accesslog", "accesslogcheck")
    }


def test_every_page_keeps_an_over_long_text_and_says_why():
    call_command("seed_demo", verbosity=0)
    # The demo shows a long home-visit report (longer than the old 2,000-character cut).
    from django.db.models.functions import Length

    from cases.models import Contact

    longest = Contact.objects.aggregate(n=Max(Length("note")))["n"]
    assert 2_000 < longest <= Contact._meta.get_field("note").max_length
    family = (
        Family.objects.filter(case_number__startswith=DEMO_PREFIX, plans__isnull=False)
        .order_by("pk")
        .first()
    )
    coach, coordinator = Client(), Client()
    coach.force_login(family.coach)
    coordinator.force_login(Membership.objects.get(team=family.team_id, role=Role.COORDINATOR).user)
    walked, failures = set(), []
    for route in all_routes():
        url = _url(route, family)
        if url is None:
            continue
        for client in (coach, coordinator):
            response = client.get(url)
            if response.status_code == 200:
                break
        else:
            continue
        for form in _forms(response):
            fields = _limited(form)
            if not fields:
                continue
            target = _action(response.content.decode(), form[fields[0]].auto_id, url)
            if target is None:
                continue  # in the context, not on the page (a step not possible now)
            # As a browser sends it: every form of the same <form> on the page goes along.
            data = {}
            for other in _forms(response):
                first = next(iter(other), None)
                if first is not None and (
                    _action(response.content.decode(), first.auto_id, url) == target
                ):
                    data.update(_as_posted(other))
            data.update(_as_posted(form))
            texts = {}
            for name in fields:
                limit = form.fields[name].max_length
                prefix = f"[{name}]"
                texts[name] = prefix + "x" * (limit + 1 - len(prefix))
                data[form.add_prefix(name)] = texts[name]
            before = _snapshot()
            answer = client.post(target, data)
            walked.add(f"{route.name}:{type(form).__name__}")
            body = answer.content.decode()
            if answer.status_code != 200:
                failures.append((route.name, type(form).__name__, answer.status_code))
                continue
            for name, text in texts.items():
                limit = form.fields[name].max_length
                if text not in body:
                    failures.append((route.name, name, "text not shown again"))
                if f"niet meer dan {grouped(limit)} tekens" not in body:
                    failures.append((route.name, name, "no message naming the limit"))
            if _snapshot() != before:
                failures.append((route.name, type(form).__name__, "something was saved"))
    assert not failures, failures
    expected = {
        "cases:contact_create:ContactForm",
        "cases:contact_edit:ContactForm",
        "cases:plan_edit:PlanForm",
        "cases:goal_create:GoalForm",
        "cases:family_detail:SafetyForm",
        "cases:statement_create:StatementForm",
        "network:meeting_edit:MeetingForm",
        "strengths:analysis_create:AnalysisForm",
        "strengths:event_create:EventForm",
        "reports:case_review_create:CaseReviewForm",
    }
    assert expected <= walked, (expected - walked, sorted(walked))
