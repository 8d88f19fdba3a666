"""A team's working elements: what a coach did in a contact, ticked on the contact.

The kinds follow the taxonomy of working elements in family care (stress reduction,
practical help, strengthening the network, …), in our own wording. Each team keeps its own
list (settings.WORKING_ELEMENT_DEFAULTS to start with, cases/elements/services.py); an
element that was ticked is deactivated, never deleted, so the contacts keep it.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cases.models.contacts import Contact
from cases.models.teams import Team

WORKING_ELEMENT_LABEL_MAX = 80
WORKING_ELEMENT_TAKEN = _("Het team heeft al een werkzaam element met deze naam.")


class WorkingElementQuerySet(models.QuerySet["WorkingElement"]):
    def of_team(self, team_id: int) -> WorkingElementQuerySet:
        return self.filter(team_id=team_id)

    def active(self) -> WorkingElementQuerySet:
        return self.filter(active=True)


class WorkingElement(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="working_elements", verbose_name=_("team")
    )
    label = models.CharField(_("naam"), max_length=WORKING_ELEMENT_LABEL_MAX)
    active = models.BooleanField(_("in gebruik"), default=True)
    order = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, validators=[MaxValueValidator(9999)]
    )
    # The contacts on which a coach ticked it (Contact.working_elements).
    contacts = models.ManyToManyField(
        Contact, related_name="working_elements", blank=True, verbose_name=_("contacten")
    )
    version = models.PositiveIntegerField(default=1)

    objects = WorkingElementQuerySet.as_manager()

    class Meta:
        ordering = ["order", "label", "pk"]
        verbose_name = _("werkzaam element")
        verbose_name_plural = _("werkzame elementen")
        constraints = [
            # WorkingElementForm.clean_label gives the same sentence on the field.
            models.UniqueConstraint(
                "team", Lower("label"), name="working_element_label_unique_per_team"
            ),
        ]

    def __str__(self) -> str:
        return self.label
