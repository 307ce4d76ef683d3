"""The young people a concern or a case names when it names more than one: a group of named
young people (Herning's "specifik" level).

A concern or case about exactly one young person keeps them in its own `young_person`; one
that names several keeps its `young_person` empty and lists every one of them here, in the
order they were named. A case about a place names no one: it has neither.
Who is shown which of them is rule S in `cases.subject_access`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.concerns import Concern, YoungPerson


class ConcernPerson(models.Model):
    """One of the young people a concern about several names."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="people")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="concern_mentions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # What the reporter typed for a young person they could not pick from their own lookup:
    # shown back to them instead of the register's record (which they may not read).
    reported_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("ung i bekymring")
        verbose_name_plural = _("unge i bekymring")
        ordering = ("position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("concern", "young_person"), name="cases_concernperson_once"
            ),
        ]
        indexes = [models.Index(fields=("young_person",))]

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.young_person_id}"


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
