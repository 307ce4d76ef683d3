"""Young people and concerns: registering, submitting, correcting and triaging a concern."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import concern_dates, cpr, notifications, submissions
from cases.models import (
    BasisOrigin,
    Case,
    CaseEventKind,
    Concern,
    ConcernAddendum,
    ConcernCategory,
    ConcernChange,
    ConcernStatus,
    NotificationStatus,
    SubjectKind,
    YoungPerson,
)
from cases.services._common import check_handling_body, event_add, require_reason, touch
from cases.services.bases import BasisRequest
from cases.services.cases import case_open, group_case_add_subjects
from cases.services.escalation import concern_after_submit
from cases.services.identity import (
    CleanIdentity,
    NamedPerson,
    ReportedIdentity,
    concern_people_create,
    concern_settle_for_case,
    concern_settle_people,
    named_people,
    reported_identity_clean,
    reported_identity_fields,
)
from cases.subjects import concern_subject_ids
from forum.models import Body, BodyKind, Municipality, Unit
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def young_person_find_or_create(
    *,
    municipality: Municipality,
    full_name: str,
    birth_date: date | None = None,
    cpr_number: str = "",
    school: Unit | None = None,
    school_class: str = "",
    created_by: User,
) -> YoungPerson:
    """Create a young person, or return the one already registered with the same CPR number.

    For callers that may see every young person of the municipality (the demo data, the
    consultant's own tools): it returns a registered child, so it must never answer what a
    reporter typed (`cases.services.identity` keeps that on the concern instead).
    """
    errors: dict[str, list[str]] = {}
    digits = ""
    if cpr_number:
        try:
            digits, cpr_birth_date = cpr.validate(cpr_number)
        except ValidationError as error:
            errors["cpr_number"] = error.messages
        else:
            if birth_date and birth_date != cpr_birth_date:
                errors["birth_date"] = [_("Fødselsdatoen passer ikke med CPR-nummeret.")]
            birth_date = cpr_birth_date
    for field, messages in concern_dates.date_errors(birth_date=birth_date).items():
        errors.setdefault(field, []).extend(messages)
    if school is not None and school.municipality_id != municipality.pk:
        errors["school"] = [_("Skolen skal ligge i samme kommune som den unge.")]
    if errors:
        raise ValidationError(errors)
    if digits:
        existing = YoungPerson.objects.filter(
            municipality=municipality, cpr_hash=cpr.lookup_hash(digits)
        ).first()
        if existing is not None:
            return existing
    young_person = YoungPerson.objects.create(
        municipality=municipality,
        full_name=full_name.strip(),
        birth_date=birth_date,
        cpr_token=cpr.encrypt(digits) if digits else "",
        cpr_hash=cpr.lookup_hash(digits) if digits else "",
        school=school,
        school_class=school_class.strip(),
    )
    audit_log(
        user=created_by, action=AuditAction.CREATE, obj=young_person, subject_id=young_person.pk
    )
    return young_person


def _school_team_for(school_id: int | None) -> Body | None:
    if school_id is None:
        return None
    return Body.objects.filter(kind=BodyKind.SCHOOL_TEAM, unit_id=school_id).first()


def _notification_rules(
    *,
    needs_answer: bool,
    notification_status: str,
    notified_by: str,
    notified_on: date | None,
) -> dict[str, list[str]]:
    """Barnets lov: under 18 (or of unknown age) and a category suggesting a need for support
    means the reporter must say whether they or their leader notified the municipality.

    The form asks only then (`concern_needs_notification_answer`); an unanswered question
    that was not needed means "not relevant". "Yes, notified" needs who and when; the date
    lies within its range (`concern_dates.NOTIFIED_ON`).
    """
    errors: dict[str, list[str]] = {}
    if notification_status == NotificationStatus.DONE:
        if not notified_by.strip():
            errors["notified_by"] = [_("Skriv, hvem der har underrettet.")]
        if notified_on is None:
            errors["notified_on"] = [_("Skriv, hvornår der blev underrettet.")]
    elif needs_answer and notification_status in ("", NotificationStatus.NOT_RELEVANT):
        errors["notification_status"] = [
            _(
                "Svar på, om du eller din leder har underrettet kommunen: den unge er under 18 "
                "år (eller alderen er ukendt), og bekymringen kan tyde på behov for støtte."
            )
        ]
    errors.update(concern_dates.date_errors(notified_on=notified_on))
    return errors


def concern_needs_notification_answer(
    *,
    category: ConcernCategory,
    subject_kind: str = SubjectKind.PERSON,
    birth_date: date | None = None,
    young_person: YoungPerson | None = None,
) -> bool:
    """Whether the reporter must answer the Barnets lov question: a category suggesting a
    need for support, about a young person (or group) under 18 or of unknown age. A place has
    no child to notify about."""
    if not category.suggests_support_need or subject_kind == SubjectKind.PLACE:
        return False
    if birth_date is None and young_person is not None:
        birth_date = young_person.birth_date
    if birth_date is None:
        return True  # age unknown: remind rather than miss a child
    today = timezone.localdate()
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    return age < 18


@transaction.atomic
def concern_submit(
    *,
    author: User,
    municipality: Municipality,
    subject_kind: str,
    category: ConcernCategory,
    description: str,
    observed_on: date,
    young_person: YoungPerson | None = None,
    reported: ReportedIdentity | None = None,
    subject_description: str = "",
    location: str = "",
    urgency: str = Concern._meta.get_field("urgency").default,
    notification_status: str = "",
    notified_by: str = "",
    notified_on: date | None = None,
    submission_token: uuid.UUID | None = None,
    other_young_people: Sequence[ReportedIdentity] = (),
) -> Concern:
    """Submit a concern and tell the consultants and the school team, without names.

    The young person is one picked from the author's lookup (`young_person`, someone they
    may see) or one typed in (`reported`), kept as typed whether or not it is someone already
    registered: the reporter learns nothing from the form, and the consultant settles who it is
    at triage (`cases.services.identity`). Submitting the same form twice (same token) returns
    the first concern. A concern that names more than one young person (`other_young_people`,
    each typed in) is about a group: its `young_person` stays empty and each is a
    `ConcernPerson`, a typed one kept as typed like the first (`cases.subject_permissions`
    decides who is shown which).
    """
    existing = submissions.concern_submitted_with(author=author, submission_token=submission_token)
    if existing is not None:
        return existing
    if (
        submission_token is not None
        and Concern.objects.filter(submission_token=submission_token).exists()
    ):
        # Someone else's form (e.g. a shared computer): a new concern with its own token.
        submission_token = None
    errors: dict[str, list[str]] = {}
    identity: CleanIdentity | None = None
    is_person = subject_kind == SubjectKind.PERSON
    if is_person and young_person is None:
        if reported is None:
            errors["full_name"] = [_("Skriv den unges navn, eller find den unge i søgningen.")]
        else:
            try:
                identity = reported_identity_clean(identity=reported, municipality=municipality)
            except ValidationError as error:
                errors.update(error.message_dict)
    if not is_person:
        young_person = None
    named: list[NamedPerson] = []
    if subject_kind in (SubjectKind.PERSON, SubjectKind.GROUP) and other_young_people:
        try:
            named = named_people(
                municipality=municipality,
                first=young_person,
                first_typed=identity,
                others=other_young_people,
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    several = len(named) > 1 or (subject_kind == SubjectKind.GROUP and bool(named))
    if municipality.pk not in set(author.municipalities.values_list("pk", flat=True)):
        errors["municipality"] = [_("Du kan kun indberette bekymringer i dine egne kommuner.")]
    if category.municipality_id != municipality.pk or not category.is_active:
        errors["category"] = [_("Vælg en af kommunens kategorier.")]
    if young_person is not None and young_person.municipality_id != municipality.pk:
        errors["young_person"] = [_("Den unge skal høre til samme kommune.")]
    if not is_person and not several and not subject_description.strip():
        errors["subject_description"] = [
            _("Beskriv kort den unge, gruppen eller stedet, bekymringen handler om.")
        ]
    errors.update(concern_dates.date_errors(observed_on=observed_on))
    if not description.strip():
        errors["description"] = [_("Skriv, hvad du har set eller hørt.")]
    birth_date, school = (
        named[0].birth_date_and_school
        if several
        else (young_person.birth_date, young_person.school)
        if young_person is not None
        else (identity.birth_date, identity.school)
        if identity is not None
        else (None, None)
    )
    errors.update(
        _notification_rules(
            # Several young people: their ages are not one age, so the question is asked.
            needs_answer=concern_needs_notification_answer(
                category=category,
                subject_kind=subject_kind,
                birth_date=None if several else birth_date,
            ),
            notification_status=notification_status,
            notified_by=notified_by,
            notified_on=notified_on,
        )
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            concern = Concern.objects.create(
                municipality=municipality,
                author=author,
                subject_kind=SubjectKind.GROUP if several else subject_kind,
                young_person=None if several else young_person,
                subject_description=subject_description.strip(),
                category=category,
                description=description,
                observed_on=observed_on,
                location=location.strip(),
                urgency=urgency,
                notification_status=notification_status or NotificationStatus.NOT_RELEVANT,
                notified_by=notified_by.strip(),
                notified_on=notified_on,
                school_team=_school_team_for(school.pk if school else None),
                submission_token=submission_token or uuid.uuid4(),
                **(reported_identity_fields(identity) if identity and not several else {}),
            )
    except IntegrityError:
        # The same form was submitted twice at the same moment: the first one won.
        return Concern.objects.get(submission_token=submission_token, author=author)
    if several:
        concern_people_create(concern=concern, named=named)
    audit_log(
        user=author,
        action=AuditAction.CREATE,
        obj=concern,
        subject_id=concern.young_person_id,
        shown_subjects=[n.young_person.pk for n in named if n.young_person] if several else (),
    )
    notifications.concern_submitted(concern)
    concern_after_submit(concern)
    return concern


@transaction.atomic
def concern_add_addendum(*, concern: Concern, author: User, text: str) -> ConcernAddendum:
    """Correct or add to a concern; the submitted text itself never changes."""
    if not text.strip():
        raise ValidationError({"text": [_("Skriv tilføjelsen.")]})
    addendum = ConcernAddendum.objects.create(concern=concern, author=author, text=text)
    audit_log(
        user=author, action=AuditAction.UPDATE, obj=concern, subject_id=concern.young_person_id
    )
    return addendum


@transaction.atomic
def concern_correct(
    *,
    concern: Concern,
    changed_by: User,
    reason: str,
    category: ConcernCategory | None = None,
    observed_on: date | None = None,
    young_person: YoungPerson | None = None,
) -> Concern:
    """Change the category, date or young person of a concern, logging who, what and why."""
    require_reason(reason)
    changes: list[tuple[str, str, str]] = []
    if category is not None and category.pk != concern.category_id:
        if category.municipality_id != concern.municipality_id:
            raise ValidationError({"category": [_("Vælg en af kommunens kategorier.")]})
        changes.append(("category", str(concern.category), str(category)))
        concern.category = category
    if observed_on is not None and observed_on != concern.observed_on:
        date_errors = concern_dates.date_errors(observed_on=observed_on)
        if date_errors:
            raise ValidationError(date_errors)
        changes.append(("observed_on", concern.observed_on.isoformat(), observed_on.isoformat()))
        concern.observed_on = observed_on
    if young_person is not None and young_person.pk != concern.young_person_id:
        if concern.young_person_id is None and concern.people.exists():
            # A concern about several keeps them in its rows (`ConcernPerson`).
            raise ValidationError(
                {"young_person": [_("Bekymringen nævner flere unge og kan ikke få én ung.")]}
            )
        if young_person.municipality_id != concern.municipality_id:
            raise ValidationError({"young_person": [_("Den unge skal høre til samme kommune.")]})
        if concern.case_id is not None and concern.case.young_person_id != young_person.pk:
            raise ValidationError(
                {
                    "young_person": [
                        _(
                            "Bekymringen hører til en sag om en anden ung. Er det samme "
                            "person, så læg de to unge sammen som dubletter."
                        )
                    ]
                }
            )
        changes.append(("young_person", str(concern.young_person_id or ""), str(young_person.pk)))
        concern.young_person = young_person
    if not changes:
        raise ValidationError(_("Der er ikke ændret noget."))
    concern.save(update_fields=["category", "observed_on", "young_person"])
    ConcernChange.objects.bulk_create(
        ConcernChange(
            concern=concern,
            changed_by=changed_by,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason.strip(),
        )
        for field, old, new in changes
    )
    audit_log(
        user=changed_by,
        action=AuditAction.UPDATE,
        obj=concern,
        subject_id=concern.young_person_id,
        purpose=reason,
    )
    return concern


def _mark_triaged(concern: Concern, *, by: User, status: str) -> None:
    if concern.status != ConcernStatus.NEW:
        raise ValidationError(_("Bekymringen er allerede visiteret."))
    concern.status = status
    concern.triaged_by = by
    concern.triaged_at = timezone.now()


@transaction.atomic
def concern_link_to_case(*, concern: Concern, case: Case, by: User) -> Concern:
    """Triage: the concern joins an existing case about the same young person."""
    if case.municipality_id != concern.municipality_id:
        raise ValidationError({"case": [_("Sagen skal høre til samme kommune.")]})
    concern_settle_people(concern=concern, by=by)
    named = concern_subject_ids(concern)
    if case.young_person_id is None:
        # A case about a group takes in the young people the concern names.
        group_case_add_subjects(case=case, young_person_ids=named)
    elif not named:
        concern.young_person = case.young_person
    elif case.young_person_id not in named:
        raise ValidationError({"case": [_("Sagen handler om en anden ung.")]})
    _mark_triaged(concern, by=by, status=ConcernStatus.LINKED)
    concern.case = case
    concern.save(update_fields=["status", "triaged_by", "triaged_at", "case", "young_person"])
    event_add(case, CaseEventKind.CONCERN_LINKED, by, "concern_linked", concern=concern.pk)
    touch(case)
    audit_log(user=by, action=AuditAction.UPDATE, obj=case, subject_id=case.young_person_id)
    return concern


@transaction.atomic
def concern_open_case(
    *,
    concern: Concern,
    by: User,
    responsible_body: Body,
    level: str,
    prevention_kind: str,
    young_person: YoungPerson | None = None,
    coordinator: User | None = None,
    body_basis: BasisRequest | None = None,
) -> Case:
    """Triage: open a new case from the concern, handled by a school team or the §115 group;
    with `body_basis`, a §115 basis lets every member of the body read it (see `case_open`)."""
    if young_person is None:
        concern_settle_for_case(concern=concern, by=by)
    young_person = young_person or concern.young_person
    if young_person is None:
        raise ValidationError(
            {
                "young_person": [
                    _(
                        "En individorienteret sag handler om én ung: vælg eller opret den unge "
                        "først, eller opret en gruppe- eller stedsag."
                    )
                ]
            }
        )
    case = case_open(
        municipality=concern.municipality,
        young_person=young_person,
        responsible_body=responsible_body,
        level=level,
        prevention_kind=prevention_kind,
        coordinator=coordinator,
        opened_by=by,
        body_basis=body_basis,
    )
    concern.young_person = young_person
    return concern_link_to_case(concern=concern, case=case, by=by).case


@transaction.atomic
def concern_route(
    *, concern: Concern, body: Body, by: User, body_basis: BasisRequest | None = None
) -> Concern:
    """Triage: send the concern to a school team or the §115 group to look at.

    The body's members of the handling sectors read it; with `body_basis` (the three §115
    criteria and a purpose) a basis for the routing lets every member read it, police included.
    """
    check_handling_body(body, concern.municipality_id, field="body")
    _mark_triaged(concern, by=by, status=ConcernStatus.ROUTED)
    concern.routed_to = body
    concern.save(update_fields=["status", "triaged_by", "triaged_at", "routed_to"])
    audit_log(user=by, action=AuditAction.UPDATE, obj=concern, subject_id=concern.young_person_id)
    if body_basis is not None:
        body_basis.give(
            by=by,
            origin=BasisOrigin.CONCERN_ROUTED,
            concern=concern,
            body=body,
            field_prefix="basis_",
        )
    notifications.concern_routed(concern)
    return concern


@transaction.atomic
def concern_close(*, concern: Concern, by: User, reason: str) -> Concern:
    require_reason(reason)
    _mark_triaged(concern, by=by, status=ConcernStatus.CLOSED)
    concern.closed_reason = reason.strip()
    concern.save(update_fields=["status", "triaged_by", "triaged_at", "closed_reason"])
    audit_log(user=by, action=AuditAction.UPDATE, obj=concern, subject_id=concern.young_person_id)
    return concern
