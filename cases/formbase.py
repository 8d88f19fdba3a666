"""What every form of the project does alike: its refusals and its text limits.

Every form class of every app derives from `Form` or `ModelForm` here (or puts
`FormRules` before Django's own form class); tests/familiekracht/test_form_messages.py
walks all form classes and fails for one that does not.

- **Every refusal is a sentence of our own.** Django's default messages (its English texts
  and their Dutch translations, a constraint's name in "Beperking … is geschonden") are
  replaced by the project's sentences below, from our own catalogue; a message a form or
  its Meta sets itself is kept.
- **No silent cut.** A text field with a limit gets no `maxlength` attribute, because the
  browser cuts a paste at it without a word. It gets `data-limit` instead, which
  static/js/limits.js turns into a live counter; the help text names the limit, so the
  page says it without JavaScript as well. The server refuses an over-long text with a
  sentence that names the limit and the length, and the form shows the whole text again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# By error code, for every kind of field.
MESSAGES: dict[str, Any] = {
    "required": _("Dit veld is verplicht."),
    "invalid_choice": _("Selecteer een geldige keuze uit de lijst."),
    "invalid_list": _("Selecteer een geldige keuze uit de lijst."),
    "invalid_pk_value": _("Selecteer een geldige keuze uit de lijst."),
    "max_length": _(
        "Deze tekst is %(show_value)s tekens lang; hier passen niet meer dan "
        "%(limit_value)s tekens in. Maak hem korter: uw tekst staat er nog."
    ),
    "min_length": _("Vul minstens %(limit_value)s tekens in (nu %(show_value)s)."),
    "max_value": _("Vul een getal in van hoogstens %(limit_value)s."),
    "min_value": _("Vul een getal in van minstens %(limit_value)s."),
    "step_size": _("Vul een veelvoud van %(limit_value)s in."),
    "max_digits": _("Vul een getal in van hoogstens %(max)s cijfers."),
    "max_decimal_places": _("Vul hoogstens %(max)s cijfers achter de komma in."),
    "max_whole_digits": _("Vul hoogstens %(max)s cijfers vóór de komma in."),
    "null_characters_not_allowed": _("De invoer bevat een ongeldig teken (NUL)."),
    "unique": _("Deze waarde is al in gebruik; kies een andere."),
    "unique_together": _("Deze combinatie bestaat al; kies een andere."),
    "missing": _("Er is geen bestand meegestuurd."),
    "empty": _("Het bestand is leeg."),
    "contradiction": _("Kies een nieuw bestand of vink ‘wissen’ aan, niet beide."),
    "invalid_image": _("Dit is geen afbeelding die we kunnen lezen."),
    "overflow": _("Deze waarde is te groot."),
}

# The code "invalid" means something else for each kind of field (most specific first:
# DecimalField is an IntegerField).
INVALID: list[tuple[type[forms.Field], Any]] = [
    (forms.DateTimeField, _("Voer een geldige datum/tijd in.")),
    (forms.DateField, _("Voer een geldige datum in.")),
    (forms.TimeField, _("Voer een geldige tijd in.")),
    (forms.DurationField, _("Voer een geldige tijdsduur in.")),
    (forms.DecimalField, _("Voer een getal in.")),
    (forms.IntegerField, _("Voer een geheel getal in.")),
    (forms.FloatField, _("Voer een getal in.")),
    (forms.EmailField, _("Voer een geldig e-mailadres in.")),
    (forms.URLField, _("Voer een geldig webadres in.")),
    (forms.JSONField, _("Voer geldige JSON in.")),
    (forms.Field, _("Deze invoer is niet geldig.")),
]

# A constraint the form did not check itself: a sentence, never the constraint's name.
CONSTRAINT_MESSAGE = _(
    "Deze gegevens passen niet bij elkaar. Controleer de velden en probeer het opnieuw."
)


def _limit_text(limit: int) -> str:
    return gettext("Maximaal %(limit)s tekens.") % {"limit": grouped(limit)}


limit_text = lazy(_limit_text, str)


def _default_messages(field: forms.Field) -> dict[str, Any]:
    """The messages Django's field class gives by default (the ones we replace)."""
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def _invalid_message(field: forms.Field) -> Any:
    return next(message for kind, message in INVALID if isinstance(field, kind))


def apply_messages(field: forms.Field) -> None:
    """Our sentence for every code the field can raise, unless the form chose its own."""
    defaults = _default_messages(field)
    for code, message in [*MESSAGES.items(), ("invalid", _invalid_message(field))]:
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = message
    if isinstance(field, forms.MultiValueField):
        for sub in field.fields:
            apply_messages(sub)


def _normalise_line_breaks(to_python: Any) -> Any:
    # Browsers send a line break as CR LF but count it (and show it) as one character; the
    # counter counts what the user sees, so the server must too (and stores LF).
    def wrapped(value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        return to_python(value)

    return wrapped


def grouped(number: int) -> str:
    """A count as the page writes it (20.000 in Dutch, 20,000 in English)."""
    return number_format(number, force_grouping=True)


class GroupedMaxLengthValidator(validators.MaxLengthValidator):
    """Django's length check, with the limit and the length written as the counter writes
    them, so the server's sentence and the live counter read the same."""

    def __call__(self, value: Any) -> None:
        length = self.clean(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(length, limit):
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "limit_value": grouped(limit),
                    "show_value": grouped(length),
                    "value": value,
                },
            )


def apply_limit(field: forms.Field) -> None:
    """A text field's limit as a counter's data attribute and in its help text."""
    limit = getattr(field, "max_length", None)
    if not isinstance(field, forms.CharField) or limit is None or field.widget.is_hidden:
        return
    field.widget.attrs.pop("maxlength", None)
    field.validators = [
        GroupedMaxLengthValidator(v.limit_value, v.message)
        if type(v) is validators.MaxLengthValidator
        else v
        for v in field.validators
    ]
    field.widget.attrs["data-limit"] = str(limit)
    field.help_text = (
        format_lazy("{} {}", field.help_text, limit_text(limit))
        if field.help_text
        else limit_text(limit)
    )
    if isinstance(field.widget, forms.Textarea):
        field.to_python = _normalise_line_breaks(field.to_python)  # type: ignore[method-assign]


class FormRules:
    """The mixin: put it before Django's form class (or use Form / ModelForm below).

    `text_limits = False` keeps a form's limits to the server (log-in codes, search boxes:
    short values nobody writes at length); its messages are ours all the same.
    """

    text_limits = True
    fields: dict[str, forms.Field]

    def _apply_rules(self) -> None:
        # Lazily, before the form validates or shows a field: forms add and change fields in
        # their own __init__ after Django's (ContactForm's extensions, the questionnaires'
        # items), and those must follow the rules too. Each field once.
        done: set[int] = self.__dict__.setdefault("_rules_applied", set())
        for field in self.fields.values():
            if id(field) in done:
                continue
            done.add(id(field))
            apply_messages(field)
            if self.text_limits:
                apply_limit(field)

    def full_clean(self) -> None:
        self._apply_rules()
        super().full_clean()  # type: ignore[misc]

    def __getitem__(self, name: str) -> Any:
        self._apply_rules()
        return super().__getitem__(name)  # type: ignore[misc]

    def _update_errors(self, errors: ValidationError) -> None:
        """ModelForm: a model's refusal (unique, a constraint) as one of our sentences.

        Django's ModelForm puts a field's own message over a model error of the same code;
        a constraint's default message names the constraint and has no code, and a
        "unique together" belongs to no field, so those two are replaced here.
        """
        model = self._meta.model  # type: ignore[attr-defined]
        unnamed = {
            BaseConstraint.default_violation_error_message % {"name": c.name}
            for c in model._meta.constraints
        }
        for message in (
            errors.error_list
            if not hasattr(errors, "error_dict")
            else [m for ms in errors.error_dict.values() for m in ms]
        ):
            if message.code == "unique_together":
                message.message, message.params = MESSAGES["unique_together"], None
            elif str(message.message) in unnamed:
                message.message, message.params = CONSTRAINT_MESSAGE, None
        super()._update_errors(errors)  # type: ignore[misc]


class Form(FormRules, forms.Form):
    pass


class ModelForm(FormRules, forms.ModelForm):
    pass
