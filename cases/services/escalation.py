"""Escalation of concerns nobody has triaged, and routing of new concerns by category.

- **The ladder** (`EscalationStep`, per municipality): a concern still new `n` working days
  after it came in (`ssp.workdays`: weekends and Danish holidays skipped; 0 is at once) is
  sent to the municipality's SSP consultants again, an absent one's stand-in instead
  (`forum.absences`), by email and, for a step with SMS, by text message through the
  municipality's gateway. Every message is content-free: a sentence and a link.
- **Exactly once**: firing a step inserts a `ConcernEscalation` row (unique per concern and
  step) and queues the messages in the mail and SMS outboxes in the same transaction, with
  the concern locked `FOR UPDATE SKIP LOCKED`. A second run, a second worker or a retry finds
  the row and does nothing; a worker killed before the commit leaves nothing, and the next
  run (every minute, from beat) fires the step then. The outboxes deliver each message once.
  There is no claimed-but-unsent state to sweep: the scan is the sweep.
- **Stops when triaged**: only concerns still new are looked at, and triage takes the
  concern's row lock, so a step never fires for a concern being triaged at that moment.
- **Routing rules** (`RoutingRule`): a new concern in the rule's category gets a basis on
  another legal ground for the rule's person or body (origin "routing rule", given in the
  name of the consultant who made the rule) and a content-free email to them (to the
  handling-sector members of a body). Why that ground, and why only handling sectors:
  docs/legal.md.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import (
    MAX_STEP_WORKING_DAYS,
    BasisGround,
    BasisOrigin,
    Concern,
    ConcernCategory,
    ConcernEscalation,
    ConcernStatus,
    EscalationSettings,
    EscalationStep,
    RoutingRule,
    Urgency,
)
from cases.services.bases import basis_give
from cases.services.followthrough import notification_task_create
from forum.absences import consultants_of, stand_in_for
from forum.models import Body, Membership, Municipality, Person
from ssp.audit import audit_log
from ssp.models import HANDLING_SECTORS, AuditAction, SmsGateway, User
from ssp.notify.mail import email_send
from ssp.notify.sms import sms_gateway_save, sms_send
from ssp.workdays import working_days_later

# The named legal ground of a routing rule's basis (docs/legal.md, "Routing rules").
ROUTING_LEGAL_GROUND = _(
    "Kommunens routingregel for kategorien, fastsat af SSP-konsulenterne; modtageren "
    "behandler selv børn og unge i sin sektor"
)


# --- The ladder: settings ----------------------------------------------------------------------


@transaction.atomic
def escalation_step_add(
    *,
    municipality: Municipality,
    applies_to: str,
    after_working_days: int,
    by_sms: bool,
    by: User,
) -> EscalationStep:
    """Add a step to the municipality's ladder. It applies to concerns that come in from now
    on: a new step does not fire at once for every concern left untriaged in the past."""
    if not 0 <= after_working_days <= MAX_STEP_WORKING_DAYS:
        raise ValidationError(
            {
                "after_working_days": [
                    _("Vælg mellem 0 og %(max)s arbejdsdage.") % {"max": MAX_STEP_WORKING_DAYS}
                ]
            }
        )
    if EscalationStep.objects.filter(
        municipality=municipality, applies_to=applies_to, after_working_days=after_working_days
    ).exists():
        raise ValidationError(
            {"after_working_days": [_("Der er allerede et trin for de samme bekymringer.")]}
        )
    if by_sms and sms_gateway_of(municipality) is None:
        raise ValidationError(
            {"by_sms": [_("Kommunen har ingen SMS-gateway endnu. Opsæt den først.")]}
        )
    return EscalationStep.objects.create(
        municipality=municipality,
        applies_to=applies_to,
        after_working_days=after_working_days,
        by_sms=by_sms,
        created_by=by,
    )


@transaction.atomic
def escalation_step_delete(*, step: EscalationStep) -> None:
    """Remove a step; what it already sent stays recorded."""
    step.delete()


def sms_gateway_of(municipality: Municipality | int) -> SmsGateway | None:
    """The municipality's active SMS gateway, if it has one."""
    municipality_id = getattr(municipality, "pk", municipality)
    found = (
        EscalationSettings.objects.filter(
            municipality_id=municipality_id, sms_gateway__is_active=True
        )
        .select_related("sms_gateway")
        .first()
    )
    return found.sms_gateway if found else None


@transaction.atomic
def escalation_sms_gateway_set(
    *, municipality: Municipality, url: str, token: str, sender: str, is_active: bool, by: User
) -> SmsGateway:
    """Set up or change the municipality's SMS gateway (a blank token keeps the stored one)."""
    config, _created = EscalationSettings.objects.select_for_update().get_or_create(
        municipality=municipality
    )
    gateway = sms_gateway_save(
        gateway=config.sms_gateway, url=url, token=token, sender=sender, is_active=is_active
    )
    if config.sms_gateway_id != gateway.pk:
        config.sms_gateway = gateway
        config.save(update_fields=["sms_gateway"])
    audit_log(user=by, action=AuditAction.UPDATE, obj=config, municipality_id=municipality.pk)
    return gateway


# --- The ladder: firing ------------------------------------------------------------------------


def _recipients(municipality_id: int, on: datetime) -> list[User]:
    """The consultants at work on that day: an absent one's stand-in instead."""
    ids = stand_in_for(
        consultants_of(municipality_id).values_list("pk", flat=True),
        municipality_id,
        timezone.localdate(on),
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _mobiles(users: list[User], municipality_id: int) -> list[str]:
    return list(
        Person.objects.filter(municipality_id=municipality_id, user__in=users)
        .exclude(mobile="")
        .values_list("mobile", flat=True)
    )


def _link(concern: Concern) -> str:
    return f"{settings.SSP_BASE_URL}{concern.get_absolute_url()}"


def _fire(concern_id: int, step: EscalationStep, now: datetime) -> bool:
    """Fire one step for one concern, once; False when it already fired, the concern is no
    longer new, or another worker holds it right now."""
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update(skip_locked=True)
            .filter(pk=concern_id, status=ConcernStatus.NEW)
            .first()
        )
        if concern is None or ConcernEscalation.objects.filter(concern=concern, step=step).exists():
            return False
        recipients = _recipients(concern.municipality_id, now)
        urgent = concern.urgency == Urgency.URGENT
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("En bekymring haster") if urgent else _("En bekymring venter på visitation")
            body = render_to_string(
                "cases/email/concern_escalated.txt",
                {"url": _link(concern), "urgent": urgent, "days": step.after_working_days},
            )
            sentence = (
                _("Der er en ny bekymring, som haster. Log ind for at se den.")
                if urgent
                else _("En bekymring venter på visitation. Log ind for at se den.")
            )
            text = f"{sentence} {_link(concern)}"
        emails = email_send(
            to=[user.email for user in recipients],
            subject=f"{settings.SSP_SITE_NAME}: {subject}",
            body=body,
        )
        messages = []
        gateway = sms_gateway_of(concern.municipality_id) if step.by_sms else None
        if gateway is not None:
            messages = sms_send(
                gateway=gateway, to=_mobiles(recipients, concern.municipality_id), body=text
            )
        ConcernEscalation.objects.create(
            concern=concern,
            step=step,
            after_working_days=step.after_working_days,
            fired_at=now,
            emails=len(emails),
            text_messages=len(messages),
        )
    return True


def concerns_escalate(now: datetime | None = None) -> int:
    """Fire every step that is due for a concern still new; returns how many fired. Run every
    minute by beat (`cases.tasks.escalate_concerns`) and right after a concern comes in."""
    now = now or timezone.now()
    steps: dict[int, list[EscalationStep]] = defaultdict(list)
    for step in EscalationStep.objects.order_by("after_working_days", "pk"):
        steps[step.municipality_id].append(step)
    if not steps:
        return 0
    # The new concerns are few (the pending index); each is tested in Python, since working
    # days are not SQL.
    candidates = list(
        Concern.objects.filter(status=ConcernStatus.NEW, municipality_id__in=list(steps))
        .order_by("submitted_at")
        .values_list("pk", "municipality_id", "urgency", "submitted_at")
    )
    fired = set(
        ConcernEscalation.objects.filter(
            concern_id__in=[pk for pk, *_rest in candidates]
        ).values_list("concern_id", "step_id")
    )
    count = 0
    for pk, municipality_id, urgency, submitted_at in candidates:
        for step in steps[municipality_id]:
            if (
                (pk, step.pk) in fired
                or not step.applies_to_urgency(urgency)
                or submitted_at < step.created_at
                or working_days_later(submitted_at, step.after_working_days) > now
            ):
                continue
            count += _fire(pk, step, now)
    return count


# --- Routing rules -----------------------------------------------------------------------------


@transaction.atomic
def routing_rule_add(
    *,
    municipality: Municipality,
    category: ConcernCategory,
    by: User,
    user: User | None = None,
    body: Body | None = None,
) -> RoutingRule:
    """Make a rule: new concerns in `category` go also to `user` or to `body`.

    A person must work in one of the handling sectors in the municipality: the basis a rule
    gives rests on the recipient's own sector handling children, not on §115, so it cannot
    reach the police or others (they need a consultant's §115 decision at triage). A body
    must be the municipality's; only its handling-sector members read what it is sent.
    """
    errors: dict[str, list[str]] = {}
    if category.municipality_id != municipality.pk:
        errors["category"] = [_("Vælg en af kommunens kategorier.")]
    if (user is None) == (body is None):
        errors["user"] = [_("Vælg enten en person eller et organ.")]
    elif user is not None and (
        not user.is_active
        or user.sector not in HANDLING_SECTORS
        or not user.municipalities.filter(pk=municipality.pk).exists()
    ):
        errors["user"] = [
            _(
                "Vælg en person i kommunen fra skole, socialforvaltning, PPR, sundhed, klub "
                "eller SSP-sekretariatet. Politiet og andre får kun bekymringer efter en "
                "konkret vurdering efter §115 ved visitationen."
            )
        ]
    elif body is not None and body.municipality_id != municipality.pk:
        errors["body"] = [_("Vælg et af kommunens organer.")]
    if not errors and RoutingRule.objects.filter(category=category, user=user, body=body).exists():
        errors["category"] = [_("Den regel findes allerede.")]
    if errors:
        raise ValidationError(errors)
    rule = RoutingRule.objects.create(
        municipality=municipality, category=category, user=user, body=body, created_by=by
    )
    audit_log(user=by, action=AuditAction.CREATE, obj=rule, municipality_id=municipality.pk)
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, by: User) -> None:
    """Remove a rule. Concerns it already routed keep their basis until someone ends it."""
    audit_log(user=by, action=AuditAction.DELETE, obj=rule, municipality_id=rule.municipality_id)
    rule.delete()


def _rule_recipients(rule: RoutingRule, concern: Concern) -> set[int]:
    """Who hears of a concern a rule routed: the person (their stand-in while away), or the
    body's members of the handling sectors."""
    if rule.user_id is not None:
        ids = {rule.user_id}
    else:
        ids = set(
            Membership.objects.filter(
                body_id=rule.body_id,
                person__user__is_active=True,
                person__user__sector__in=HANDLING_SECTORS,
            ).values_list("person__user_id", flat=True)
        )
    return stand_in_for(ids, concern.municipality_id) - {concern.author_id}


def concern_route_by_rules(concern: Concern) -> list[RoutingRule]:
    """Apply the municipality's rules for the concern's category (inside the submission's
    transaction): a basis and a content-free email per rule. A rule whose recipient can no
    longer receive (left the municipality) is skipped: it must never refuse the concern."""
    applied = []
    recipients: set[int] = set()
    rules = RoutingRule.objects.filter(category_id=concern.category_id).select_related(
        "category", "created_by", "user", "body"
    )
    for rule in rules:
        try:
            basis_give(
                by=rule.created_by,
                origin=BasisOrigin.ROUTING_RULE,
                concern=concern,
                user=rule.user,
                body=rule.body,
                ground=BasisGround.LEGAL_GROUND,
                legal_ground=str(ROUTING_LEGAL_GROUND),
                purpose=_("Nye bekymringer i kategorien »%(category)s« går også til %(to)s.")
                % {"category": rule.category.name, "to": rule.recipient_label},
            )
        except ValidationError:
            continue
        applied.append(rule)
        recipients |= _rule_recipients(rule, concern)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "cases/email/concern_routed_by_rule.txt",
                {"url": _link(concern), "site_name": settings.SSP_SITE_NAME},
            )
            subject = f"{settings.SSP_SITE_NAME}: {_('Ny bekymring')}"
        email_send(
            to=User.objects.filter(pk__in=recipients, is_active=True).values_list(
                "email", flat=True
            ),
            subject=subject,
            body=body,
        )
    return applied


def concern_escalate_at_once(concern: Concern) -> None:
    """After the concern's transaction commits, run the ladder, so a step of 0 working days
    (an urgent concern) fires within seconds rather than at beat's next minute."""
    from cases import tasks  # the tasks module imports the services

    def enqueue() -> None:
        try:
            tasks.escalate_concerns.delay()
        except Exception:  # broker away: beat's run next minute fires it
            return

    transaction.on_commit(enqueue)


def concern_after_submit(concern: Concern) -> None:
    """What a new concern sets going besides the first emails, in its own transaction: the
    routing rules of its category, the follow-through task of a notification that will be
    sent, and the ladder's steps due at once."""
    concern_route_by_rules(concern)
    notification_task_create(concern=concern)
    concern_escalate_at_once(concern)
