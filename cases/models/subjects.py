"""The young people a concern or a case names when it names more than one: a group of named
young people (Herning's "specifik" level).

A concern or case about exactly one young person keeps them in its own `young_person`; one
that names several keeps its `young_person` empty and lists every one of them here, in the
order they were named. A case about a place names no one: it has neither.
Who is shown which of them is rule S in `cases.subject_access`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.concerns import Concern, YoungPerson
from forum.models import Unit


class ConcernPerson(models.Model):
    """One of the young people a concern about several names.

    A young person picked from the reporter's lookup is `young_person`. One the reporter typed
    in is kept as typed (`reported_*`, as `Concern.reported_*` for a concern about one) with no
    `young_person` until the SSP consultant settles who it is (`cases.services.identity`):
    never matched to a registered young person for the reporter.
    """

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="people")
    young_person = models.ForeignKey(
        YoungPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concern_mentions",
    )
    position = models.PositiveSmallIntegerField(default=0)
    # What the reporter typed for a young person they could not pick from their own lookup:
    # shown back to them instead of the register's record (which they may not read).
    reported_name = models.CharField(max_length=200, blank=True)
    reported_birth_date = models.DateField(null=True, blank=True)
    reported_cpr_token = models.TextField(editable=False, blank=True, default="", db_default="")
    reported_cpr_hash = models.CharField(
        max_length=64, editable=False, blank=True, default="", db_default=""
    )
    reported_school = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ung i bekymring")
        verbose_name_plural = _("unge i bekymring")
        ordering = ("position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("concern", "young_person"), name="cases_concernperson_once"
            ),
            models.CheckConstraint(
                condition=Q(young_person__isnull=False) | ~Q(reported_name=""),
                name="cases_concernperson_someone",
            ),
        ]
        indexes = [models.Index(fields=("young_person",))]

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.young_person_id or self.reported_name}"

    @property
    def municipality_id(self) -> int:
        return self.concern.municipality_id

    @property
    def has_reported_identity(self) -> bool:
        return bool(self.reported_name)


class CaseSubject(models.Model):
    """One of the named young people of a case about a group."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="group_cases"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ung i gruppesag")
        verbose_name_plural = _("unge i gruppesag")
        ordering = ("position", "pk")
        constraints = [
            models.UniqueConstraint(fields=("case", "young_person"), name="cases_casesubject_once"),
        ]
        indexes = [models.Index(fields=("young_person",))]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.young_person_id}"
