"""Two people, one record: optimistic locking with `version`, and merging instead of overwriting.

Every edit form of every app is a `VersionedModelForm`. It carries, hidden, the version the
form was opened at (`version`) and a fingerprint of each field's value at that moment
(`merge_base`: a signed keyed hash per field, so the page holds no second copy of the text).
The view hands its save to `save_or_merge`. When the service raises `EditConflict`
(someone else saved in between; nothing was written) the helper compares, field by field,
what the form was opened with, what is stored now ("theirs") and what this user sent
("yours"):

- a field only the other person changed keeps theirs, a field only this user changed keeps
  this user's, and when no field was changed by both the merged result is saved at once and
  the user is told a merge happened;
- a field both changed (to different values) is a conflict: the page comes back, status 409,
  with what is stored now field by field, and per conflicting field theirs and yours side by
  side with a choice (and a combined text box for text). Nothing is saved until the user has
  chosen for every field in conflict; the choice is then saved like any edit, against the
  version the page showed, so a third save in between is merged the same way.

A POST without `merge_base` (an old page) counts every field that differs from the stored
value as a conflict: the user decides, nothing is lost.

Pages of several forms under one version (the seven domains of a score sheet, a team's
phase definitions) use `MergeableForm` for each form and `save_or_merge_forms`. The
templates: `form_page.html` shows both parts for every form page
(`form_conflict_saved.html`, `form_conflict_choices.html`); hand-laid pages include them.
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form, ModelForm

# Lazy: module constants are translated when shown, in the user's language.
CONFLICT_MESSAGE = _(
    "Iemand anders heeft dit intussen opgeslagen. Er is niets overschreven en er is nog "
    "niets van u opgeslagen: kies hieronder per veld dat u allebei hebt gewijzigd welke "
    "waarde blijft, en sla dan op."
)
GONE_MESSAGE = _(
    "Iemand anders heeft dit intussen verwijderd. Er is niets opgeslagen; uw invoer staat "
    "hieronder nog, zodat u die kunt overnemen."
)
INVALID_MERGE_MESSAGE = _(
    "Iemand anders heeft dit intussen ook gewijzigd. Samen met uw wijzigingen klopt het "
    "formulier niet meer; er is niets opgeslagen. Verbeter de gemarkeerde velden en sla op."
)
MERGED_MESSAGE = _(
    "Iemand anders had dit intussen ook gewijzigd, in andere velden. Hun wijzigingen en de "
    "uwe zijn samengevoegd en opgeslagen."
)
CHOOSE_MESSAGE = _("Kies bij ‘%(label)s’ welke waarde blijft.")
COMBINE_EMPTY_MESSAGE = _("Vul bij ‘%(label)s’ de samengevoegde tekst in, of kies een van beide.")

VERSION_MAX = 2_147_483_647  # the version counters are PositiveIntegerField columns
BASE_FIELD = "merge_base"
CONFLICTS_FIELD = "merge_conflicts"
CHOICE_PREFIX = "merge_choice"
COMBINED_PREFIX = "merge_combined"
THEIRS, YOURS, COMBINED = "theirs", "yours", "combined"
_SALT = "cases.conflicts"
# How often one save may meet a newer version and merge again before it asks the user.
_MERGE_ATTEMPTS = 3


def version_field(*, required: bool = False) -> forms.IntegerField:
    """The hidden version a form started from (optimistic locking)."""
    return forms.IntegerField(
        widget=forms.HiddenInput, required=required, min_value=0, max_value=VERSION_MAX
    )


# Values, compared the same way whether they come from a stored row (a form's initial
# value) or from what a user sent (cleaned data).


def _canon_one(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        # A browser sends line ends as CRLF; stored text may hold LF.
        return value.replace("\r\n", "\n").strip()
    return str(value)


def canonical(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "model"):
        return sorted(_canon_one(v) for v in value)
    return _canon_one(value)


def _fingerprint(value: Any) -> str:
    text = json.dumps(canonical(value), sort_keys=True)
    return salted_hmac(_SALT, text).hexdigest()[:20]


def merge_fields(form: BaseForm) -> list[str]:
    """The fields a merge compares: everything the user can edit."""
    skip = {"version", BASE_FIELD, CONFLICTS_FIELD}
    return [name for name in form.fields if name not in skip]


def _initial(form: BaseForm, name: str) -> Any:
    return form.get_initial_for_field(form.fields[name], name)


def base_token(form: BaseForm) -> str:
    """The fingerprints of an unbound form's values: what the user was shown."""
    hashes = {name: _fingerprint(_initial(form, name)) for name in merge_fields(form)}
    return signing.dumps(hashes, salt=_SALT + ".base", compress=True)


def _read_base(value: str) -> dict[str, str] | None:
    if not value:
        return None
    try:
        base = signing.loads(value, salt=_SALT + ".base")
    except signing.BadSignature:
        return None
    return base if isinstance(base, dict) else None


def display(field: forms.Field, value: Any) -> str:
    """A field's value as a user reads it (labels for choices, dates in words)."""
    values = list(value) if isinstance(value, list | tuple) or hasattr(value, "model") else None
    if value in (None, "") or values == []:
        return gettext("(leeg)")
    if isinstance(field, forms.ModelChoiceField):
        items = values if values is not None else [value]
        pks = [v.pk if isinstance(v, Model) else v for v in items]
        objects = {o.pk: o for o in field.queryset.model._default_manager.filter(pk__in=pks)}
        return ", ".join(
            str(field.label_from_instance(objects[pk])) if pk in objects else str(pk) for pk in pks
        )
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in field.choices if not isinstance(v, list | tuple)}
        items = values if values is not None else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in items)
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if values is not None:
        return ", ".join(str(v) for v in values)
    return str(value)


def post_data(bound_field: forms.BoundField) -> list[str]:
    """What a browser would send for an unbound form's field: its value as POST data."""
    field, widget = bound_field.field, bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if value else []
    formatted = widget.format_value(value)
    if formatted is None:
        return [] if _multiple(field) else [""]
    if isinstance(formatted, list | tuple):
        values = [str(v) for v in formatted]
        return [v for v in values if v] if _multiple(field) else values
    return [str(formatted)]


def _multiple(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def _combinable(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput)


@dataclass
class FieldConflict:
    """One field both people changed: what is stored now, and what this user sent."""

    name: str
    label: str
    theirs: str
    yours: str
    theirs_data: list[str]
    yours_data: list[str]
    combinable: bool
    combined: str = ""
    # Set on the page that answers the conflict: the field's data key and the user's choice.
    key: str = ""
    choice: str = ""


def _conflicts_token(conflicts: list[FieldConflict]) -> str:
    return signing.dumps([asdict(c) for c in conflicts], salt=_SALT + ".conflicts", compress=True)


def _read_conflicts(value: str) -> list[FieldConflict]:
    if not value:
        return []
    try:
        rows = signing.loads(value, salt=_SALT + ".conflicts")
    except signing.BadSignature:
        return []
    return [FieldConflict(**row) for row in rows if isinstance(row, dict)]


class MergeableForm(Form):
    """A form that knows the values it was opened with, and answers an edit conflict.

    It carries `merge_base`, the fingerprints of its initial values. On a page that answers
    a conflict (`merge_conflicts` posted), each conflicting field travels hidden and the
    user's choice per field decides what is validated and saved. A page of several forms
    (the seven domains of a score sheet) gives each its own prefix.
    """

    merge_base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.merge_conflicts: list[FieldConflict] = []
        self.merge_saved: list[tuple[str, str]] = []
        # True only while the page first shows the conflict: no "choose" errors yet.
        self.merge_first_show = False
        self._merge_missing: list[FieldConflict] = []
        if self.is_bound and self.data.get(self.add_prefix(CONFLICTS_FIELD)):
            self._take_choices(_read_conflicts(self.data[self.add_prefix(CONFLICTS_FIELD)]))

    def get_initial_for_field(self, field: forms.Field, field_name: str) -> Any:
        if field_name == BASE_FIELD:
            return base_token(self)
        return super().get_initial_for_field(field, field_name)

    def _take_choices(self, conflicts: list[FieldConflict]) -> None:
        data = self.data.copy()
        for conflict in conflicts:
            if conflict.name not in self.fields:
                continue
            self.merge_conflicts.append(conflict)
            key = conflict.key = self.add_prefix(conflict.name)
            choice = conflict.choice = data.get(f"{CHOICE_PREFIX}-{key}", "")
            combined = data.get(f"{COMBINED_PREFIX}-{key}", "")
            if combined:
                conflict.combined = combined  # what the user typed in the box stays there
            if choice == THEIRS:
                _set_data(data, key, conflict.theirs_data)
            elif choice == YOURS:
                _set_data(data, key, conflict.yours_data)
            elif choice == COMBINED and conflict.combinable and combined.strip():
                data[key] = combined
            else:
                self._merge_missing.append(conflict)
        data[self.add_prefix(CONFLICTS_FIELD)] = _conflicts_token(self.merge_conflicts)
        self.data = data
        self.hide_conflicting()

    def hide_conflicting(self) -> None:
        """The conflicting fields travel hidden; the choice block shows them."""
        for conflict in self.merge_conflicts:
            field = self.fields[conflict.name]
            field.widget = forms.MultipleHiddenInput() if _multiple(field) else forms.HiddenInput()

    @property
    def merge_conflicts_token(self) -> str:
        return _conflicts_token(self.merge_conflicts)

    @property
    def merge_conflicts_name(self) -> str:
        return self.add_prefix(CONFLICTS_FIELD)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.pop(BASE_FIELD, None)
        if not self.merge_first_show:
            for conflict in self._merge_missing:
                if conflict.choice == COMBINED:
                    self.add_error(None, COMBINE_EMPTY_MESSAGE % {"label": conflict.label})
                else:
                    self.add_error(None, CHOOSE_MESSAGE % {"label": conflict.label})
        return cleaned


class VersionedModelForm(MergeableForm, ModelForm):
    """An edit form of one record: also carries the version it was opened at.

    Subclasses declare their `Meta` as usual; `version` and `merge_base` are filled from the
    instance. A create form (no instance yet) carries neither.
    """

    version = version_field()

    def get_initial_for_field(self, field: forms.Field, field_name: str) -> Any:
        if self.instance.pk is None:
            if field_name == BASE_FIELD:
                return ""
        elif field_name == "version":
            return self.instance.version  # type: ignore[attr-defined]
        return super().get_initial_for_field(field, field_name)

    def record_data(self) -> dict[str, Any]:
        """The cleaned values of the record's own fields (without the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _set_data(data: QueryDict, key: str, values: list[str]) -> None:
    if values:
        data.setlist(key, values)
    else:
        data.pop(key, None)


def merge_into(data: QueryDict, form: MergeableForm, fresh: MergeableForm) -> list[FieldConflict]:
    """Take the other person's changes into `data` (a copy of the user's POST) for `form`'s
    fields, and return the fields both changed.

    `form` is the user's bound, valid form; `fresh` an unbound form of the row as stored now.
    `data` then carries `fresh`'s fingerprints as the new base and the conflicts to choose;
    the caller sets the version.
    """
    base = _read_base(str(form.data.get(form.add_prefix(BASE_FIELD), "")))
    conflicts: list[FieldConflict] = []
    for name in merge_fields(form):
        field, key = form.fields[name], form.add_prefix(name)
        data.pop(f"{CHOICE_PREFIX}-{key}", None)
        data.pop(f"{COMBINED_PREFIX}-{key}", None)
        theirs_value = _initial(fresh, name)
        theirs, yours = _fingerprint(theirs_value), _fingerprint(form.cleaned_data.get(name))
        if theirs == yours:
            continue
        opened = base.get(name) if base is not None else None
        if opened is not None and opened == yours:
            # Only the other person changed it: theirs stays.
            _set_data(data, key, post_data(fresh[name]))
        elif opened is not None and opened == theirs:
            continue  # only this user changed it: this user's value stays
        else:
            combinable = _combinable(field)
            yours_value = form.cleaned_data.get(name)
            conflicts.append(
                FieldConflict(
                    name=name,
                    label=str(field.label or name),
                    theirs=display(fresh.fields[name], theirs_value),
                    yours=display(field, yours_value),
                    theirs_data=post_data(fresh[name]),
                    yours_data=form.data.getlist(key),
                    combinable=combinable,
                    combined=f"{theirs_value or ''}\n\n{yours_value or ''}".strip()
                    if combinable
                    else "",
                )
            )
    data[form.add_prefix(BASE_FIELD)] = base_token(fresh)
    if conflicts:
        data[form.add_prefix(CONFLICTS_FIELD)] = _conflicts_token(conflicts)
    else:
        data.pop(form.add_prefix(CONFLICTS_FIELD), None)
    return conflicts


def show_conflict(form: MergeableForm, fresh: MergeableForm) -> None:
    """Make a re-bound form the page that answers a conflict: what is stored now, field by
    field, and no "choose" errors before the user has seen the choices."""
    form.merge_saved = saved_values(fresh)
    form.merge_first_show = True


def saved_values(form: BaseForm) -> list[tuple[str, str]]:
    """Label and value of every visible field of an unbound form: the row as stored now."""
    return [
        (str(form.fields[name].label or name), display(form.fields[name], _initial(form, name)))
        for name in merge_fields(form)
        if not form.fields[name].widget.is_hidden
    ]


def save_or_merge(
    request: HttpRequest,
    *,
    form: VersionedModelForm,
    save: Callable[[VersionedModelForm], Any],
    current: Callable[[], Model | None],
    template: str,
    context: dict[str, Any],
    form_kwargs: dict[str, Any] | None = None,
    message: str | Promise = CONFLICT_MESSAGE,
) -> HttpResponse | None:
    """Save a valid edit form with `save(form)` (which raises EditConflict on a stale
    version); merge when someone else saved in between.

    Returns None once saved (the view goes on to its own message and redirect), or the
    page again with status 409: the conflicts to choose, or the row was deleted meanwhile.
    `current()` loads the row as stored now; `form_kwargs` are the form's own arguments.
    """
    from cases.services import EditConflict

    form_kwargs = form_kwargs or {}
    form_class = type(form)
    merged = False
    for _attempt in range(_MERGE_ATTEMPTS):
        try:
            save(form)
        except EditConflict:
            row = current()
            if row is None:
                return _gone_response(request, form, template, context, form_kwargs)
            fresh = form_class(instance=row, **form_kwargs)
            data = form.data.copy()
            conflicts = merge_into(data, form, fresh)
            data[form.add_prefix("version")] = str(row.version)  # type: ignore[attr-defined]
            rebound = form_class(data, instance=row, **form_kwargs)
            show_conflict(rebound, fresh)
            if conflicts:
                messages.error(request, message)
                return render(
                    request, template, {**context, "form": rebound, "current": row}, status=409
                )
            rebound.merge_first_show = False
            if not rebound.is_valid():
                messages.error(request, INVALID_MERGE_MESSAGE)
                return render(
                    request, template, {**context, "form": rebound, "current": row}, status=409
                )
            form, merged = rebound, True
        else:
            if merged:
                messages.success(request, MERGED_MESSAGE)
            return None
    messages.error(request, message)
    return render(request, template, {**context, "form": form, "current": None}, status=409)


def save_or_merge_forms(
    request: HttpRequest,
    *,
    version_form: BaseForm,
    forms: Sequence[MergeableForm],
    bind: Callable[[QueryDict | None], tuple[BaseForm, Sequence[MergeableForm]]],
    current_version: Callable[[], int | None],
    save: Callable[[BaseForm, Sequence[MergeableForm]], Any],
    render_page: Callable[[BaseForm, Sequence[MergeableForm], int], HttpResponse],
) -> HttpResponse | None:
    """`save_or_merge` for a page of several forms under one version (the seven domains
    of a score sheet, a team's phase definitions).

    `version_form` carries the version, `forms` the values; `bind(data)` makes both again
    against the rows as stored now (unbound with None); `save` raises EditConflict on a
    stale version; `render_page(version_form, forms, status)` renders the page.
    """
    from cases.services import EditConflict

    merged = False
    for _attempt in range(_MERGE_ATTEMPTS):
        try:
            save(version_form, forms)
        except EditConflict:
            # The version first: a save after this read makes the next save fail again.
            version = current_version()
            _unused, fresh = bind(None)
            data = version_form.data.copy()  # type: ignore[attr-defined]
            conflicts = [merge_into(data, f, new) for f, new in zip(forms, fresh, strict=True)]
            data[version_form.add_prefix("version")] = "" if version is None else str(version)
            version_form, forms = bind(data)
            for form, new in zip(forms, fresh, strict=True):
                show_conflict(form, new)
            if any(conflicts):
                messages.error(request, CONFLICT_MESSAGE)
                return render_page(version_form, forms, 409)
            for form in forms:
                form.merge_first_show = False
            results = [form.is_valid() for form in forms]
            if not (version_form.is_valid() and all(results)):
                messages.error(request, INVALID_MERGE_MESSAGE)
                return render_page(version_form, forms, 409)
            merged = True
        else:
            if merged:
                messages.success(request, MERGED_MESSAGE)
            return None
    messages.error(request, CONFLICT_MESSAGE)
    return render_page(version_form, forms, 409)


def _gone_response(
    request: HttpRequest,
    form: BaseForm,
    template: str,
    context: dict[str, Any],
    form_kwargs: dict[str, Any],
) -> HttpResponse:
    """The row was deleted meanwhile: keep the typed data, an empty version (so saving
    again fails instead of recreating it)."""
    data = form.data.copy()
    data[form.add_prefix("version")] = ""
    rebound = type(form)(data, instance=getattr(form, "instance", None), **form_kwargs)
    return conflict_response(request, template, {**context, "form": rebound}, message=GONE_MESSAGE)


def conflict_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    message: str | Promise = CONFLICT_MESSAGE,
) -> HttpResponse:
    """The edit page again, with the conflict message, as 409 Conflict."""
    messages.error(request, message)
    return render(request, template, context, status=409)
