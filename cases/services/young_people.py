"""Young people registered twice: merging the two records into one, with a trace."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseEventKind,
    CaseSubject,
    Concern,
    ConcernChange,
    ConcernPerson,
    LegalHold,
    YoungPerson,
    YoungPersonMerge,
)
from cases.services._common import event_add, require_reason, touch
from cases.subjects import cases_about
from ssp.audit import audit_log
from ssp.models import AuditAction, User

# The relations a merge moves itself (the rest are moved as they are, see `_move_the_rest`).
_MOVED_BY_NAME = frozenset(
    {"concerns", "cases", "legal_holds", "merges", "concern_mentions", "group_cases"}
)


@transaction.atomic
def young_person_merge(
    *, keep: YoungPerson, remove: YoungPerson, by: User, reason: str
) -> YoungPersonMerge:
    """Make two records of the same child one: everything about `remove` moves to `keep`, and
    `remove` is deleted.

    - Concerns and cases move; each moved concern gets a logged change of its young person
      (old → new, with the reason), and every case of the kept person, moved or not, gets a
      line on its timeline. Bases, consents, notes and actions belong to the concerns and
      cases, so they stay valid as they are.
    - Legal holds move; if both records are held, the removed record's hold is released in
      favour of the kept one's, which goes on holding everything.
    - The CPR number: the kept record keeps its own, or takes the removed record's if it has
      none; two different CPR numbers are two children and are refused. Missing birth date,
      school and class are filled in from the removed record.
    - The access log is append-only: its rows keep naming the removed id. A `YoungPersonMerge`
      row records the merge, so the kept person's insight report and log search find both
      histories; merges into the removed record move to the kept one.
    """
    require_reason(reason)
    people = {
        person.pk: person
        for person in YoungPerson.objects.select_for_update().filter(pk__in=(keep.pk, remove.pk))
    }
    if keep.pk == remove.pk or len(people) != 2:
        raise ValidationError({"keep": [_("Vælg to forskellige unge.")]})
    keep, remove = people[keep.pk], people[remove.pk]
    if keep.municipality_id != remove.municipality_id:
        raise ValidationError({"keep": [_("De to unge hører til hver sin kommune.")]})
    if keep.cpr_hash and remove.cpr_hash and keep.cpr_hash != remove.cpr_hash:
        raise ValidationError(
            {"keep": [_("De to unge har hvert sit CPR-nummer: det er to forskellige personer.")]}
        )
    reason = reason.strip()
    merge = YoungPersonMerge(
        municipality_id=keep.municipality_id,
        kept=keep,
        removed_id=remove.pk,
        removed_name=remove.full_name,
        removed_birth_date=remove.birth_date,
        cpr_from_removed=bool(remove.cpr_hash and not keep.cpr_hash),
        merged_by=by,
        reason=reason,
    )
    _take_over_details(keep, remove)
    merge.concerns_moved = _move_concerns(keep, remove, by, reason)
    moved_cases = list(Case.objects.filter(young_person=remove))
    Case.objects.filter(young_person=remove).update(young_person=keep)
    merge.cases_moved = len(moved_cases) + _move_mentions(keep, remove)
    _move_legal_holds(keep, remove, by)
    YoungPersonMerge.objects.filter(kept=remove).update(kept=keep)
    _move_the_rest(keep, remove)
    removed_id = remove.pk
    remove.delete()
    keep.save(update_fields=["cpr_token", "cpr_hash", "birth_date", "school", "school_class"])
    merge.save()
    for case in Case.objects.filter(cases_about(keep)):
        event_add(
            case,
            CaseEventKind.MERGED,
            by,
            "merged",
            removed=merge.removed_name,
            removed_id=removed_id,
            kept=keep.full_name,
            reason=reason,
        )
        touch(case)
    for subject_id in (keep.pk, removed_id):
        audit_log(
            user=by,
            action=AuditAction.UPDATE,
            obj=keep,
            subject_id=subject_id,
            municipality_id=keep.municipality_id,
            purpose=reason,
        )
    return merge


def _take_over_details(keep: YoungPerson, remove: YoungPerson) -> None:
    if not keep.cpr_hash and remove.cpr_hash:
        keep.cpr_hash, keep.cpr_token = remove.cpr_hash, remove.cpr_token
        # The CPR number is unique per municipality: the removed record lets go of it first.
        YoungPerson.objects.filter(pk=remove.pk).update(cpr_hash="", cpr_token="")
    keep.birth_date = keep.birth_date or remove.birth_date
    keep.school_id = keep.school_id or remove.school_id
    keep.school_class = keep.school_class or remove.school_class


def _move_concerns(keep: YoungPerson, remove: YoungPerson, by: User, reason: str) -> int:
    concerns = list(Concern.objects.filter(young_person=remove).values_list("pk", flat=True))
    Concern.objects.filter(pk__in=concerns).update(young_person=keep)
    ConcernChange.objects.bulk_create(
        ConcernChange(
            concern_id=concern_id,
            changed_by=by,
            field="young_person",
            old_value=str(remove.pk),
            new_value=str(keep.pk),
            reason=reason[:500],
        )
        for concern_id in concerns
    )
    return len(concerns)


def _move_mentions(keep: YoungPerson, remove: YoungPerson) -> int:
    """The removed record named among several young people of a concern or a group case: the
    kept record takes its place, or, where both are named, the removed one's row goes.
    Returns how many group cases moved."""
    for model, owner in ((ConcernPerson, "concern"), (CaseSubject, "case")):
        both = model.objects.filter(young_person=keep).values(owner)
        model.objects.filter(young_person=remove, **{f"{owner}__in": both}).delete()
    ConcernPerson.objects.filter(young_person=remove).update(young_person=keep)
    return CaseSubject.objects.filter(young_person=remove).update(young_person=keep)


def _move_legal_holds(keep: YoungPerson, remove: YoungPerson, by: User) -> None:
    if keep.legal_hold and remove.legal_hold:
        LegalHold.objects.filter(young_person=remove, released_at__isnull=True).update(
            released_at=timezone.now(),
            released_by=by,
            release_reason=_("Lagt sammen med ung nr. %(kept)s, som fortsat er tilbageholdt.")
            % {"kept": keep.pk},
        )
    LegalHold.objects.filter(young_person=remove).update(young_person=keep)
    if remove.legal_hold and not keep.legal_hold:
        keep.legal_hold = True
        keep.save(update_fields=["legal_hold"])


def _move_the_rest(keep: YoungPerson, remove: YoungPerson) -> None:
    """Rows of other models that point at a young person (added after this service was
    written) move as they are; the merge's own tests list the relations it knows."""
    for relation in YoungPerson._meta.related_objects:
        if relation.name in _MOVED_BY_NAME or not isinstance(relation.field, models.ForeignKey):
            continue
        relation.related_model._default_manager.filter(**{relation.field.name: remove}).update(
            **{relation.field.name: keep}
        )
