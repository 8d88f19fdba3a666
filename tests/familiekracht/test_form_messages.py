"""Every form of the project, found by walking the modules (not listed): every refusal is a
Dutch sentence of our own, and no text field cuts a text without saying so.

Each form is filled three ways (every field empty; every field malformed; every field just
past its bounds) and each message it gives must be a msgid of our catalogue
(locale/en/LC_MESSAGES/django.po), end like a sentence and name no constraint. A text
field with a limit must show the limit, carry no `maxlength` (the browser would cut a paste
at it), refuse one character more with a sentence that names the limit and the length, and
show the whole text again.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from cases.formbase import CONSTRAINT_MESSAGE, FormRules, grouped
from cases.models import Consent
from tests.cases.partners.factories import PartnerFactory, referral
from tests.cases.plan_factories import PlanFactory
from tests.factories import MemberFactory
from tests.network.factories import AgreementFactory, KrachtgezinFactory

pytestmark = pytest.mark.django_db

PACKAGES = ("cases", "phases", "network", "strengths", "reports", "familiekracht")
SKIPPED_MODULES = ("migrations", "management", "wsgi", "asgi", "demo")
MISSING_ID = "987654321"


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if any(part in SKIPPED_MODULES for part in info.name.split(".")):
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, forms.BaseForm)
                    and cls.__module__ == module.__name__
                    and cls not in (FormRules,)
                    and cls.__module__ != "cases.formbase"
                    and not cls.__name__.startswith("_")  # a base of the forms below
                    # A model form without a model is a base too (VersionedModelForm).
                    and not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)
                ):
                    found.append(cls)
    return found


FORM_CLASSES = _form_classes()
IDS = [f"{cls.__module__}.{cls.__name__}" for cls in FORM_CLASSES]


def _catalogue() -> list[re.Pattern[str]]:
    """Every msgid of our catalogue as a pattern: a placeholder matches any value."""
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    msgids, current, reading = [], [], False
    for line in po.read_text().splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            if current:
                msgids.append("".join(current))
            current, reading = [line.split(" ", 1)[1]], True
        elif line.startswith('"') and reading:
            current.append(line)
        else:
            if current:
                msgids.append("".join(current))
            current, reading = [], False
    if current:
        msgids.append("".join(current))
    patterns = []
    for raw in msgids:
        text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', raw))
        text = text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        if not text:
            continue
        parts = re.split(r"%\(\w+\)[sd]|%[sd]", text.replace("%%", "\x00"))
        pattern = ".+?".join(re.escape(p).replace("\x00", "%") for p in parts)
        patterns.append(re.compile(pattern + r"\Z", re.S))
    return patterns


CATALOGUE = _catalogue()
CONSTRAINT_NAME = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def problems_with(message: str) -> list[str]:
    found = []
    if not any(p.match(message) for p in CATALOGUE):
        found.append("not a msgid of locale/en/LC_MESSAGES/django.po")
    if not message.rstrip().endswith((".", "?", "!")):
        found.append("not a sentence (no full stop)")
    if CONSTRAINT_NAME.search(message) or "geschonden" in message:
        found.append("names a constraint")
    if message == str(CONSTRAINT_MESSAGE):
        found.append("a database constraint refused it: give the form its own sentence")
    return found


@pytest.fixture
def constructor_arguments(family, team, alice):  # type: ignore[no-untyped-def]
    """What each form's keyword-only arguments are in the views (by name)."""
    plan = PlanFactory(family=family)
    krachtgezin = KrachtgezinFactory(supported_family=family, team=team)
    return {
        "family": family,
        "teams": [team],
        "team": team,
        "current": alice,
        "from_coach": alice,
        "families": [family],
        "coaches": [(alice.pk, "Alice")],
        "domain": "child",
        "plan": plan,
        "agreements": [AgreementFactory(family=family)],
        "krachtgezin": krachtgezin,
        "match": krachtgezin.matches.get(),
        "needs_code": True,
        # The family portal's first visit (cases.portal.forms.PortalEnrolForm).
        "username": "gezin-fk-00001-1",
        "needs_app": True,
        "consent": Consent.objects.create(
            family=family, organisation="Buurtteam", purpose="plan", given_by_name="Voogd"
        ),
        "user": alice,
        "request": _login_request(),
        "referral": referral(family, PartnerFactory(team=team), alice),
    }


def _login_request() -> Any:
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")
    request.session = SessionStore()
    return request


def _required_keywords(cls: type) -> list[str]:
    names = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        ours = not klass.__module__.startswith("django.")
        for param in inspect.signature(init).parameters.values():
            required = param.kind is param.KEYWORD_ONLY and param.default is param.empty
            # Django's log-in and password forms take the request or the user as well.
            if (ours and required) or param.name in ("request", "user"):
                names.append(param.name)
    return names


def make(cls: type[forms.BaseForm], arguments: dict[str, Any], data: Any = None) -> Any:
    missing = [n for n in _required_keywords(cls) if n not in arguments]
    assert not missing, f"{cls.__name__} needs {missing}: add them to constructor_arguments"
    kwargs = {n: arguments[n] for n in _required_keywords(cls)}
    return cls(data=data, **kwargs) if data is not None else cls(**kwargs)


def _malformed(field: forms.Field) -> Any:
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [MISSING_ID, "abc"]
    if isinstance(field, forms.MultipleChoiceField):
        return ["no-such-choice"]
    if isinstance(field, forms.ModelChoiceField):
        return MISSING_ID
    if isinstance(field, forms.ChoiceField):
        return "no-such-choice"
    if isinstance(field, forms.DateField | forms.DateTimeField | forms.TimeField):
        return "31-02-20x"
    if isinstance(field, forms.IntegerField | forms.FloatField):
        return "abc"
    return "§"


def _past_bounds(field: forms.Field) -> Any:
    if isinstance(field, forms.CharField) and field.max_length:
        return "x" * (field.max_length + 1)
    if isinstance(field, forms.IntegerField | forms.DecimalField) and field.max_value is not None:
        return str(field.max_value + 1)
    if isinstance(field, forms.DateField):
        return (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    return _malformed(field)


def _as_sent(form: forms.BaseForm) -> Any:
    """What a browser sends for an untouched form: the choices it preselects, no text."""

    def value(field: forms.Field) -> Any:
        bound = next(b for b in form if b.field is field) if field in form.fields.values() else None
        if bound is not None and isinstance(field, forms.ChoiceField | forms.BooleanField):
            initial = bound.value()
            return None if initial in (None, False, []) else initial
        return ""

    return value


def _data(form: forms.BaseForm, value_for: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        value = value_for(field)
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def _messages(form: forms.BaseForm) -> list[tuple[str, str]]:
    assert not form.is_valid()
    return [
        (field, message)
        for field, errors in form.errors.as_data().items()
        for error in errors
        for message in error.messages
    ]


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"ContactForm", "EventForm", "KrachtgezinForm", "LoginForm", "VerifyForm"} <= names
    assert "PasswordChangeForm" in names
    assert len(FORM_CLASSES) > 30


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=IDS)
def test_every_form_follows_the_rules(form_class):
    assert issubclass(form_class, FormRules), (
        f"{form_class.__name__}: derive from cases.formbase.Form or ModelForm"
    )


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=IDS)
@pytest.mark.parametrize(
    "fill",
    [lambda form: lambda field: "", lambda form: _malformed, _as_sent, lambda form: _past_bounds],
    ids=["empty", "malformed", "as-sent", "past-bounds"],
)
def test_every_refusal_is_a_dutch_sentence_of_our_own(form_class, fill, constructor_arguments):
    with translation.override("nl"):
        blank = make(form_class, constructor_arguments)
        data = _data(blank, fill(blank)) or {"x": ""}
        form = make(form_class, constructor_arguments, data)
        if form.is_valid():
            return  # nothing to refuse in this way (only optional check boxes, say)
        bad = {
            f"{field}: {message!r}": problems
            for field, message in _messages(form)
            if (problems := problems_with(str(message)))
        }
    assert not bad, bad


def _limited_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and field.max_length and not field.widget.is_hidden
    ]


LIMITED = [cls for cls in FORM_CLASSES if cls.text_limits]  # type: ignore[attr-defined]


def test_forms_with_limited_text_are_walked():
    names = {cls.__name__ for cls in LIMITED}
    assert {"ContactForm", "PlanForm", "AnalysisForm", "MeetingForm", "CaseReviewForm"} <= names


@pytest.mark.parametrize("form_class", LIMITED, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_limited_text_field_shows_its_limit_and_cuts_nothing(
    form_class, constructor_arguments
):
    with translation.override("nl"):
        blank = make(form_class, constructor_arguments)
        for name in _limited_fields(blank):
            field = blank.fields[name]
            limit = field.max_length
            html = str(blank[name])
            assert "maxlength" not in html, (name, html)
            assert f'data-limit="{limit}"' in html, (name, html)
            assert f"{limit:,}".replace(",", ".") in str(field.help_text), (name, field.help_text)

        if not _limited_fields(blank):
            return
        data = _data(blank, _past_bounds)
        form = make(form_class, constructor_arguments, data)
        assert not form.is_valid()
        for name in _limited_fields(form):
            limit = form.fields[name].max_length
            sent = data[form.add_prefix(name)]
            messages = [str(m) for m in form.errors.get(name, [])]
            assert any(
                f"niet meer dan {grouped(limit)} tekens" in m and grouped(limit + 1) in m
                for m in messages
            ), (name, messages)
            # The whole text comes back in the form, so nothing typed is lost.
            assert sent in str(form[name]), name


def test_a_line_break_counts_as_one_character(family):
    from cases.forms import ContactForm

    limit = ContactForm(family=family).fields["note"].max_length
    note = "a\r\n" * (limit // 2)  # as a browser sends it: CR LF per line break
    form = ContactForm(
        data={"date": "2025-01-10", "minutes": "60", "kind": "home_visit", "note": note},
        family=family,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == ("a\n" * (limit // 2)).strip()


def test_the_contact_note_fits_a_home_visit_report(family):
    from cases.models import Contact

    assert Contact._meta.get_field("note").max_length >= 10_000


def test_a_check_that_fails_is_caught():
    """The message check can fail: Django's own and a constraint's messages are refused."""
    assert problems_with("Beperking “strengths_event_fields_match_precision” is geschonden.")
    assert problems_with("This field is required.")
    assert problems_with("Zorg ervoor dat deze waarde hoogstens 5 tekens bevat (nu 6).")
    assert not problems_with("Dit veld is verplicht.")


def test_a_member_of_the_family_is_no_bad_choice(family, constructor_arguments):
    """The walk's malformed ids are refused because they are foreign, not because the form
    refuses every member: a real member passes the members field."""
    from cases.forms import ContactForm

    member = MemberFactory(family=family)
    form = ContactForm(
        data={
            "date": "2025-01-10",
            "minutes": "60",
            "kind": "home_visit",
            "members_present": [member.pk],
        },
        family=family,
    )
    assert form.is_valid(), form.errors


def test_an_untouched_timeline_form_names_what_is_missing(family):
    """The date fields are checked against the precision even without a year, so the
    database's check (strengths_event_fields_match_precision) never has to refuse."""
    from strengths.forms import EventForm

    with translation.override("nl"):
        form = EventForm(data={"precision": "day", "year": "", "kind": "move"}, family=family)
        assert not form.is_valid()
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    assert errors["month"] == ["Kies de maand, of zet de nauwkeurigheid op ‘jaar’."]
    assert errors["day"] == ["Vul de dag in, of zet de nauwkeurigheid op ‘maand’."]
    assert errors["year"] == ["Dit veld is verplicht."]
    assert "__all__" not in errors


def test_a_constraint_the_form_misses_is_a_sentence_not_its_name(family):
    """The safety net in FormRules: a model constraint's own refusal never shows its name."""
    from cases.formbase import ModelForm
    from strengths.models import TimelineEvent

    class BareEventForm(ModelForm):
        class Meta:
            model = TimelineEvent
            fields = ["precision", "month", "day", "year", "kind", "description"]

    with translation.override("nl"):
        form = BareEventForm(
            data={"precision": "day", "year": "2020", "kind": "move", "description": "x"}
        )
        form.instance.family = family
        assert not form.is_valid()
        messages = [str(m) for m in form.non_field_errors()]
    assert messages == [str(CONSTRAINT_MESSAGE)]
