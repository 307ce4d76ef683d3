"""Fictional young people, concerns and cases for the demo, so every persona has a Monday.

Every name is obviously invented ("Demo-…"). Seeding is idempotent: a young person who is
already there keeps the cases and concerns made the first time.

The police personas read cases only through recorded bases: a §115 basis given to their team
when a case was opened (Mikkel, Sofie, Noah), a share on the parents' consent (Emma), a §115
basis as an ad-hoc member (Amalie), a §115 share (Oliver) and, from the meetings demo, the §115
basis of an agenda item (Jonas). Jonas's social worker also holds a basis on another legal
ground (Barnets lov), so the demo shows every ground.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from cases import services
from cases.models import (
    BasisGround,
    BasisOrigin,
    Case,
    CaseStatus,
    Concern,
    ConcernCategory,
    ConsentStatus,
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from devtools.demo import groups
from forum.models import Body, Municipality, Person, Unit
from ssp.models import User

# The three §115 criteria, confirmed for every §115 basis the demo gives.
CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)

# (name, suggests a need for support under Barnets lov)
CATEGORIES = [
    ("Kriminalitet", False),
    ("Rusmidler", True),
    ("Mistrivsel", True),
    ("Vold", True),
    ("Radikalisering", False),
    ("Skolefravær", True),
    ("Digitale krænkelser", True),
    ("Uro i nærmiljøet", False),
]


@dataclass
class DemoCase:
    municipality: str
    young_person: str
    age: int
    school: str
    author: str
    category: str
    text: str
    body: str
    status: str = CaseStatus.ACTIVE
    # Ad-hoc members and, for those outside the handling sectors, the purpose of their §115 basis.
    adhoc_members: dict[str, str] = field(default_factory=dict)
    share_with_user: str = ""
    notes: list[str] = field(default_factory=list)
    # The purpose of a §115 basis for the responsible body, given when the case was opened
    # (and how many days it lasts, if not until revoked).
    body_basis: str = ""
    body_basis_days: int | None = None
    # The purpose of a share with the responsible body on the young person's consent.
    consent_share: str = ""
    # A named legal ground under which a handling-sector user reads the case: (email, ground).
    legal_ground: tuple[str, str] | None = None


CASES = [
    DemoCase(
        "Glostrup",
        "Demo-Mikkel Eksempelsen",
        14,
        "Glostrup Skole, afdeling Vestervang",
        "klub@demo.ssp",
        "Kriminalitet",
        "Set i klubben med nye, dyre ting og et skift i omgangskreds. Fortæller selv om "
        "»nemme penge« fra ældre drenge.",
        "SSP-team Vestervang",
        notes=["Forældremøde aftalt. Mor er bekymret og vil samarbejde."],
        body_basis="Politiet i teamet kender de ældre drenge og kan bidrage til indsatsen.",
    ),
    DemoCase(
        "Glostrup",
        "Demo-Sofie Opdigtetsen",
        15,
        "Glostrup Skole, afdeling Nordvang",
        "leder@demo.ssp",
        "Skolefravær",
        "Fravær på 30 % de sidste to måneder. Klassekammerater fortæller om fester i weekenden.",
        "SSP-team Nordvang",
        status=CaseStatus.FOLLOW_UP,
        body_basis="Politiet følger med i weekendfesterne og kan vurdere risikoen.",
        body_basis_days=90,
    ),
    DemoCase(
        "Glostrup",
        "Demo-Jonas Fiktivsen",
        16,
        "Glostrup Skole, afdeling Søndervang",
        "social@demo.ssp",
        "Rusmidler",
        "Lugtede af hash ved skolestart flere dage i træk; har selv nævnt at han sælger til "
        "yngre elever.",
        "Mandagsgruppen (§115)",
        legal_ground=(
            "social@demo.ssp",
            "Barnets lov: socialforvaltningen undersøger den unges forhold (børnefaglig "
            "undersøgelse).",
        ),
    ),
    DemoCase(
        "Glostrup",
        "Demo-Amalie Tænktsen",
        13,
        "Glostrup Skole, afdeling Søndervang",
        "leder@demo.ssp",
        "Digitale krænkelser",
        "Billeder af hende deles i en gruppechat. Hun vil ikke tale med lærerne om det.",
        "SSP-team Søndervang",
        adhoc_members={
            "Peter Poulsen": "Politiet hjælper med at få billederne fjernet fra chatten.",
            "Sara Skov": "",
        },
    ),
    DemoCase(
        "Glostrup",
        "Demo-Oliver Påfundsen",
        17,
        "Glostrup Skole, afdeling Søndervang",
        "klub@demo.ssp",
        "Vold",
        "Slåskamp ved stationen fredag aften; truede en anden ung med kniv ifølge vidner.",
        "SSP-team Søndervang",
        share_with_user="politi2@demo.ssp",
    ),
    DemoCase(
        "Glostrup",
        "Demo-Emma Eksempeldatter",
        15,
        "Glostrup Skole, afdeling Vestervang",
        "leder@demo.ssp",
        "Mistrivsel",
        "Trækker sig fra venner og har skrevet bekymrende ting i en opgave.",
        "SSP-team Vestervang",
        status=CaseStatus.CLOSED,
        consent_share="Forældrene har givet samtykke til, at teamet, politiet med, kender sagen.",
    ),
    DemoCase(
        "Albertslund",
        "Demo-Noah Nulsen",
        15,
        "Herstedvester Skole",
        "politi2@demo.ssp",
        "Uro i nærmiljøet",
        "En gruppe på 6–8 unge samles ved butikscentret om aftenen; flere klager fra beboere.",
        "SSP-team Herstedvester",
        body_basis="Lokalpolitiet kender gruppen ved butikscentret og kan bidrage.",
    ),
]

# New, untriaged concerns: (municipality, author, subject kind, young person or description,
# age, school, category, text)
NEW_CONCERNS = [
    (
        "Glostrup",
        "klub@demo.ssp",
        SubjectKind.PERSON,
        "Demo-Freja Fantasisen",
        14,
        "Glostrup Skole, afdeling Vestervang",
        "Mistrivsel",
        "Kommer i klubben hver dag men spiser ikke; virker bange for at gå hjem.",
    ),
    (
        "Glostrup",
        "politi@demo.ssp",
        SubjectKind.PLACE,
        "Stationsforpladsen",
        0,
        "",
        "Uro i nærmiljøet",
        "Flere meldinger om unge, der samles og drikker ved stationen.",
    ),
]


# A concern closed without a case (the social worker's, about Karla), and a later one by the
# club worker, who may not see Karla and typed her in: the club worker is told nothing, and the
# consultant sees "possible match: Demo-Karla Kopisen" at triage (cases.identity).
KARLA = "Demo-Karla Kopisen"


def _seed_closed_and_typed_concerns(users: dict[str, User], consultant: User) -> None:
    glostrup = Municipality.objects.get(name="Glostrup")
    if YoungPerson.objects.filter(municipality=glostrup, full_name=KARLA).exists():
        return
    social, club = users["social@demo.ssp"], users["klub@demo.ssp"]
    karla = _young_person(glostrup, KARLA, 13, "Glostrup Skole, afdeling Nordvang", social)
    first = _concern(
        glostrup,
        social,
        SubjectKind.PERSON,
        karla,
        "",
        "Skolefravær",
        "Har været væk fra skolen tre dage om ugen siden efterårsferien.",
    )
    services.concern_close(
        concern=first, by=consultant, reason="Skolen og familien har selv lagt en plan."
    )
    services.concern_submit(
        author=club,
        municipality=glostrup,
        subject_kind=SubjectKind.PERSON,
        reported=services.ReportedIdentity(full_name=KARLA, birth_date=karla.birth_date),
        category=ConcernCategory.objects.get(municipality=glostrup, name="Mistrivsel"),
        description="Kom grædende i klubben og ville ikke sige hvorfor.",
        observed_on=timezone.localdate() - timedelta(days=1),
        notification_status=NotificationStatus.WILL_BE_DONE,
    )


def _birth_date(age: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - age) - timedelta(days=40)


def seed(consultant_email: str = "konsulent@demo.ssp") -> None:
    for municipality in Municipality.objects.all():
        for position, (name, support) in enumerate(CATEGORIES):
            ConcernCategory.objects.get_or_create(
                municipality=municipality,
                name=name,
                defaults={"suggests_support_need": support, "position": position},
            )
    users = {user.email: user for user in User.objects.filter(email__endswith="@demo.ssp")}
    consultant = users[consultant_email]
    for demo in CASES:
        _seed_case(demo, users, consultant)
    for municipality_name, author, kind, subject, age, school, category, text in NEW_CONCERNS:
        municipality = Municipality.objects.get(name=municipality_name)
        young_person = None
        if kind == SubjectKind.PERSON:
            if YoungPerson.objects.filter(municipality=municipality, full_name=subject).exists():
                continue
            young_person = _young_person(municipality, subject, age, school, users[author])
        elif Concern.objects.filter(
            municipality=municipality, subject_description=subject
        ).exists():
            continue
        _concern(municipality, users[author], kind, young_person, subject, category, text)
    _seed_closed_and_typed_concerns(users, consultant)
    groups.seed(users, consultant)


def _young_person(
    municipality: Municipality, name: str, age: int, school: str, author: User
) -> YoungPerson:
    return services.young_person_find_or_create(
        municipality=municipality,
        full_name=name,
        birth_date=_birth_date(age),
        school=Unit.objects.get(municipality=municipality, name=school) if school else None,
        created_by=author,
    )


def _concern(municipality, author, kind, young_person, subject, category, text):  # type: ignore[no-untyped-def]
    category = ConcernCategory.objects.get(municipality=municipality, name=category)
    under_18 = young_person is not None and (young_person.age_on() or 99) < 18
    needs_answer = category.suggests_support_need and (young_person is None or under_18)
    return services.concern_submit(
        author=author,
        municipality=municipality,
        subject_kind=kind,
        young_person=young_person,
        subject_description="" if young_person else subject,
        category=category,
        description=text,
        observed_on=timezone.localdate() - timedelta(days=3),
        notification_status=NotificationStatus.NOT_NEEDED
        if needs_answer
        else NotificationStatus.NOT_RELEVANT,
    )


def _seed_case(demo: DemoCase, users: dict[str, User], consultant: User) -> None:
    municipality = Municipality.objects.get(name=demo.municipality)
    if YoungPerson.objects.filter(municipality=municipality, full_name=demo.young_person).exists():
        return
    author = users[demo.author]
    young_person = _young_person(municipality, demo.young_person, demo.age, demo.school, author)
    concern = _concern(
        municipality, author, SubjectKind.PERSON, young_person, "", demo.category, demo.text
    )
    triager = consultant if consultant.municipalities.filter(pk=municipality.pk).exists() else None
    triager = (
        triager
        or User.objects.filter(
            affiliations__municipality=municipality, affiliations__is_ssp_consultant=True
        ).first()
        or author
    )
    body = Body.objects.get(municipality=municipality, name=demo.body)
    body_basis = None
    if demo.body_basis:
        body_basis = services.BasisRequest(
            purpose=demo.body_basis,
            criteria=CRITERIA,
            expires_at=timezone.now() + timedelta(days=demo.body_basis_days)
            if demo.body_basis_days
            else None,
        )
    case = services.concern_open_case(
        concern=concern,
        by=triager,
        responsible_body=body,
        level=PreventionLevel.INDIVIDUAL,
        prevention_kind=PreventionKind.REACTIVE,
        body_basis=body_basis,
    )
    consent = services.consent_record(
        case=case, by=triager, status=ConsentStatus.OBTAINED, given_by="Forældre"
    )
    for text in demo.notes:
        services.note_add(case=case, author=triager, text=text)
    if demo.consent_share:
        services.case_share(
            case=case,
            by=triager,
            purpose=demo.consent_share,
            body=body,
            ground=BasisGround.CONSENT,
            consent=consent,
        )
    if demo.status != CaseStatus.OPEN:
        services.case_change_status(case=case, status=CaseStatus.ACTIVE, by=triager)
    if demo.status == CaseStatus.FOLLOW_UP:
        services.case_change_status(case=case, status=CaseStatus.FOLLOW_UP, by=triager)
    if demo.status == CaseStatus.CLOSED:
        services.case_change_status(
            case=case, status=CaseStatus.CLOSED, by=triager, reason="Bekymringen er afklaret."
        )
    if demo.adhoc_members:
        _seed_adhoc_group(case, triager, municipality, demo.adhoc_members)
    if demo.share_with_user:
        services.case_share(
            case=case,
            by=triager,
            purpose="Politiet kender den unge fra en anden sag og kan bidrage til indsatsen.",
            criteria=CRITERIA,
            user=users[demo.share_with_user],
        )
    if demo.legal_ground:
        email, ground = demo.legal_ground
        services.basis_give(
            by=triager,
            origin=BasisOrigin.SHARE,
            purpose="Socialforvaltningen behandler den unges sag sideløbende.",
            case=case,
            user=users[email],
            ground=BasisGround.LEGAL_GROUND,
            legal_ground=ground,
        )


def _seed_adhoc_group(
    case: Case, triager: User, municipality: Municipality, members: dict[str, str]
) -> None:
    """The group under the case's team, the consultant coordinating; a member from outside the
    handling sectors joins with a §115 basis of their own."""
    people = {
        p.full_name: p
        for p in Person.objects.filter(municipality=municipality, full_name__in=members)
    }
    coordinator = Person.objects.get(municipality=municipality, user=triager)
    services.adhoc_group_form(case=case, by=triager, coordinator=coordinator)
    for name, purpose in members.items():
        basis = services.BasisRequest(purpose=purpose, criteria=CRITERIA) if purpose else None
        services.adhoc_member_add(case=case, by=triager, person=people[name], basis=basis)
