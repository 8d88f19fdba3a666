"""What an edit page does when someone else saved first (optimistic locking with `version`).

The service raised `EditConflict`; nothing was written. The page comes back with status 409,
the user's typed data still in the form, the *current* version in its hidden field (so a
second save overwrites on purpose), the current row as `current` for the template to show
next to the typed text, and a message that says so. Every edit page of every app uses
this one recovery, so they all behave the same.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# Lazy: module constants are translated when shown, in the user's language.
CONFLICT_MESSAGE = gettext_lazy(
    "Iemand anders heeft dit intussen opgeslagen. Er is niets overschreven: uw invoer "
    "staat hieronder nog. Controleer de huidige gegevens en sla opnieuw op als u uw "
    "versie wilt bewaren."
)


def conflict_data(data: QueryDict, current: Model | None) -> QueryDict:
    """The user's typed data with the current version (empty when the row is gone)."""
    data = data.copy()
    data["version"] = str(current.version) if current is not None else ""  # type: ignore[attr-defined]
    return data


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


def edit_conflict_response(
    request: HttpRequest,
    *,
    form: BaseForm,
    current: Model | None,
    template: str,
    context: dict[str, Any],
    form_kwargs: dict[str, Any] | None = None,
    message: str | Promise = CONFLICT_MESSAGE,
) -> HttpResponse:
    """Re-bind `form` (same class, same `form_kwargs`) to the typed data and the current
    row, and render `template` with it as `form` and the row as `current`, status 409.

    When the row was deleted meanwhile (`current` is None), the form keeps its old
    instance and an empty version, so saving again fails instead of recreating it.
    """
    instance = current if current is not None else getattr(form, "instance", None)
    rebound = type(form)(
        conflict_data(form.data, current),  # type: ignore[arg-type]
        instance=instance,
        **(form_kwargs or {}),
    )
    return conflict_response(
        request, template, {**context, "form": rebound, "current": current}, message=message
    )
