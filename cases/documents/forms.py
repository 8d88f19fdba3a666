from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form, ModelForm
from cases.forms import DateInput, not_in_future
from cases.models import Document, Family

EMPTY_FILE = _("Het gekozen bestand is leeg.")


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


class UploadField(forms.FileField):
    """A file with a size limit from settings; the type is checked by its content later
    (cases.documents.content), never by its name or the browser's word."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Bestand"))
        kwargs.setdefault(
            "help_text",
            _("PDF, foto (JPEG, PNG) of Word/ODF-document, tot %(mb)s MB.")
            % {"mb": settings.DOCUMENT_MAX_MB},
        )
        kwargs.setdefault(
            "error_messages", {"empty": EMPTY_FILE, "required": _("Kies een bestand.")}
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload.size > max_bytes():
            raise forms.ValidationError(
                _("Het bestand is te groot: hoogstens %(mb)s MB.")
                % {"mb": settings.DOCUMENT_MAX_MB}
            )
        return upload


class DocumentForm(ModelForm):
    file = UploadField()

    class Meta:
        model = Document
        fields = ["file", "kind", "date", "members", "description"]
        widgets = {"date": DateInput(), "members": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members: a foreign id is an invalid choice.
        self.fields["members"].queryset = family.members.all()
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("date"))


class ReplaceForm(Form):
    file = UploadField(label=_("Nieuwe versie"))


class RemoveForm(Form):
    confirm = forms.BooleanField(
        label=_("Ja, verwijder dit document met al zijn versies uit het dossier"),
        error_messages={"required": _("Vink aan dat u het document wilt verwijderen.")},
    )
