"""The documents' part of the family file (listed in settings.FAMILY_SECTIONS)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.sections import Section

documents = Section(key="documents", label=_("Documenten"), url_name="cases:document_list")
