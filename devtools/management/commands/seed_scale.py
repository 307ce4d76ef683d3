"""`manage.py seed_scale`: fill a database to national scale for the benchmarks.

Defaults: 100 municipalities, 50,000 users, 1,000,000 cases, each with its young person and
concern, plus one København-sized municipality of 100,000 cases (`--sized`: one more
municipality per size, codes SK1, SK2, …, each with one SSP consultant who sees all its cases,
one police officer and one school team chair), one new concern for every fiftieth case (the
triage queue) and one closed without a case, one access-log row, one directory person and one
meeting (its municipality's SSP consultants invited) per case, 2,000,000 prevention
activities over the last two years (for the prevention account),
the object permissions the services would grant (responsible body, ad-hoc groups, shares to
police officers) and the matching auth-group memberships. Rows are generated in
PostgreSQL with set-based INSERT … SELECT, which takes minutes rather than hours; the result
obeys the same rules as data made through the services, which `benchmark_cases` relies on.

Run it against its own database, never the demo or a real one:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssp_scale .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py seed_scale
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from cases.models import Case

PREFIX = "scale"
# Bodies each municipality gets: (kind, how many). School teams and the §115 group handle cases.
SCHOOL_TEAMS = 10
# Share of cases with an ad-hoc group, and share of cases shared with a police officer.
ADHOC_EVERY = 20
SHARE_EVERY = 25
# Prevention activities are spread over this many days back from today.
ACTIVITY_DAYS = 730


class Command(BaseCommand):
    help = "Fill the database with national-scale data for benchmark_cases (not for real use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipalities", type=int, default=100)
        parser.add_argument("--users", type=int, default=50_000)
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--activities", type=int, default=2_000_000)
        parser.add_argument(
            "--sized",
            default="100000",
            help="Comma-separated case counts of extra municipalities (København is about "
            "100,000); empty for none. Used by `benchmark_lists` for its 1,000 / 10,000 / "
            "100,000 curve.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_scale refuses to run when SSP_ENVIRONMENT is production.")
        if Case.objects.filter(municipality__code__startswith="S").exists():
            raise CommandError("This database already holds scale data.")
        municipalities, users, cases = (
            options["municipalities"],
            options["users"],
            options["cases"],
        )
        if not 1 <= municipalities <= 100:
            raise CommandError("Between 1 and 100 municipalities (their codes are S00–S99).")
        try:
            sized = [int(size) for size in options["sized"].split(",") if size.strip()]
        except ValueError as error:
            raise CommandError("--sized takes case counts separated by commas.") from error
        if len(sized) > 9 or any(size < 1 for size in sized):
            raise CommandError("At most nine sized municipalities, each with at least one case.")
        view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
        params = {
            "m": municipalities,
            "u": users,
            "c": cases,
            "a": options["activities"],
            "days": ACTIVITY_DAYS,
            "teams": SCHOOL_TEAMS,
            "adhoc_every": ADHOC_EVERY,
            "share_every": SHARE_EVERY,
            "perm": view_case.pk,
            "password": "!unusable",
            "sized": sized,
        }
        seeding_started = time.monotonic()
        for label, sql in STEPS:
            started = time.monotonic()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
            self.stdout.write(f"{label:<40} {time.monotonic() - started:6.1f} s")
        # A real database is vacuumed by autovacuum long before anyone reads it: without the
        # visibility map, index-only scans (counts, the id sets of the visibility rule) pay
        # heap fetches no production database would.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"{'VACUUM ANALYZE':<40} {time.monotonic() - started:6.1f} s")
        self.stdout.write(f"{'all together':<40} {time.monotonic() - seeding_started:6.1f} s")
        self.stdout.write(self.style.SUCCESS("Scale data is in place."))


# Every step is one statement; %(name)s are the parameters above. Users are police (every
# tenth), school leaders (one per school team) and other professionals; each works in one
# municipality (police in two) and sits in one to three bodies.
STEPS: list[tuple[str, str]] = [
    (
        "police districts and municipalities",
        """
        INSERT INTO forum_policedistrict (name)
        SELECT 'Scale politikreds ' || d FROM generate_series(1, 12) d;
        INSERT INTO forum_municipality (name, code, police_district_id)
        SELECT 'Scale kommune ' || m, 'S' || lpad((m - 1)::text, 2, '0'),
               (SELECT id FROM forum_policedistrict
                WHERE name = 'Scale politikreds ' || (1 + m %% 12))
        FROM generate_series(1, %(m)s) m;
        INSERT INTO forum_municipality (name, code, police_district_id)
        SELECT 'Scale kommune K' || k || ' (' || size || ' sager)', 'SK' || k,
               (SELECT min(id) FROM forum_policedistrict WHERE name LIKE 'Scale politikreds %%')
        FROM unnest(%(sized)s::int[]) WITH ORDINALITY AS s(size, k);
        """,
    ),
    (
        "units, bodies and their groups",
        """
        CREATE TEMP TABLE scale_m ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) AS n FROM forum_municipality
        WHERE code LIKE 'S%%';
        INSERT INTO forum_unit (municipality_id, name, sector, address, phone, email, website,
                                description)
        SELECT m.id, 'Skole ' || t, 'school', '', '', '', '', ''
        FROM scale_m m, generate_series(1, %(teams)s) t;
        INSERT INTO auth_group (name)
        SELECT 'scale-' || m.n || '-' || k FROM scale_m m,
        unnest(ARRAY['lokalraad', 'forum', 'g115'] ||
               ARRAY(SELECT 'team' || t FROM generate_series(1, %(teams)s) t)) k;
        INSERT INTO forum_body (kind, name, municipality_id, purpose, meeting_rhythm, group_id,
                                created_at)
        SELECT 'lokalraad', 'Lokalråd', m.id, '', '', g.id, now()
        FROM scale_m m JOIN auth_group g ON g.name = 'scale-' || m.n || '-lokalraad';
        INSERT INTO forum_body (kind, name, municipality_id, parent_id, purpose,
                                meeting_rhythm, group_id, created_at)
        SELECT 'ssp_forum', 'SSP-Forum', m.id, l.id, '', '', g.id, now()
        FROM scale_m m JOIN auth_group g ON g.name = 'scale-' || m.n || '-forum'
        JOIN forum_body l ON l.municipality_id = m.id AND l.kind = 'lokalraad';
        INSERT INTO forum_body (kind, name, municipality_id, parent_id, purpose,
                                meeting_rhythm, group_id, created_at)
        SELECT 'group_115', '§115-gruppe', m.id, l.id, '', '', g.id, now()
        FROM scale_m m JOIN auth_group g ON g.name = 'scale-' || m.n || '-g115'
        JOIN forum_body l ON l.municipality_id = m.id AND l.kind = 'lokalraad';
        INSERT INTO forum_body (kind, name, municipality_id, parent_id, unit_id, purpose,
                                meeting_rhythm, group_id, created_at)
        SELECT 'school_team', 'SSP-team ' || u.name, m.id, f.id, u.id, '', '', g.id, now()
        FROM scale_m m
        JOIN forum_unit u ON u.municipality_id = m.id
        JOIN auth_group g ON g.name = 'scale-' || m.n || '-team' || substr(u.name, 7)
        JOIN forum_body f ON f.municipality_id = m.id AND f.kind = 'ssp_forum';
        """,
    ),
    (
        "users, people, affiliations, memberships",
        """
        CREATE TEMP TABLE scale_m ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) AS n FROM forum_municipality
        WHERE code LIKE 'S%%';
        INSERT INTO ssp_user (password, is_superuser, email, full_name, sector, is_active,
                              is_staff, date_joined, session_generation)
        SELECT %(password)s, false, 'scale' || u || '@scale.ssp', 'Scale bruger ' || u,
               CASE WHEN u %% 10 = 0 THEN 'police' WHEN u %% 10 = 1 THEN 'ssp'
                    WHEN u %% 10 < 5 THEN 'school' ELSE 'social' END,
               true, false, now(), 0
        FROM generate_series(1, %(u)s) u;
        CREATE TEMP TABLE scale_u ON COMMIT DROP AS
        SELECT id, substring(email from 6 for position('@' in email) - 6)::int AS n, sector,
               1 + (substring(email from 6 for position('@' in email) - 6)::int %% %(m)s) AS home
        FROM ssp_user WHERE email LIKE '%%@scale.ssp';
        INSERT INTO forum_affiliation (user_id, municipality_id, is_ssp_consultant,
                                       is_administrator)
        SELECT u.id, m.id, u.sector = 'ssp' AND u.n <= %(m)s * 11, false
        FROM scale_u u JOIN scale_m m ON m.n = u.home;
        INSERT INTO forum_affiliation (user_id, municipality_id, is_ssp_consultant,
                                       is_administrator)
        SELECT u.id, m.id, false, false
        FROM scale_u u JOIN scale_m m ON m.n = 1 + (u.home %% %(m)s)
        WHERE u.sector = 'police' AND %(m)s > 1;
        INSERT INTO forum_person (municipality_id, full_name, job_title, sector, email, phone,
                                  user_id)
        SELECT a.municipality_id, 'Scale bruger ' || u.n, '', u.sector, '', '', u.id
        FROM scale_u u JOIN forum_affiliation a ON a.user_id = u.id;
        -- Everyone sits in one school team of each municipality they work in; police and
        -- the SSP secretariat also in the §115 group.
        INSERT INTO forum_membership (body_id, person_id, role, joined_at)
        SELECT b.id, p.id, CASE WHEN u.sector = 'school' AND u.n %% 10 = 2 THEN 'chair'
                                ELSE 'member' END, now()
        FROM forum_person p JOIN scale_u u ON u.id = p.user_id
        JOIN forum_unit un ON un.municipality_id = p.municipality_id
             AND un.name = 'Skole ' || (1 + (u.n / 100) %% %(teams)s)
        JOIN forum_body b ON b.unit_id = un.id;
        INSERT INTO forum_membership (body_id, person_id, role, joined_at)
        SELECT b.id, p.id, 'member', now()
        FROM forum_person p JOIN scale_u u ON u.id = p.user_id
        JOIN forum_body b ON b.municipality_id = p.municipality_id AND b.kind = 'group_115'
        WHERE u.sector IN ('police', 'ssp') AND u.n %% 3 = 0;
        INSERT INTO ssp_user_groups (user_id, group_id)
        SELECT DISTINCT p.user_id, b.group_id
        FROM forum_membership ms JOIN forum_person p ON p.id = ms.person_id
        JOIN forum_body b ON b.id = ms.body_id
        WHERE p.user_id IN (SELECT id FROM scale_u);
        INSERT INTO guardian_userobjectpermission (object_pk, content_type_id, permission_id,
                                                   user_id)
        SELECT a.municipality_id::text, ct.id, pm.id, a.user_id
        FROM forum_affiliation a
        JOIN scale_u u ON u.id = a.user_id
        JOIN django_content_type ct ON ct.app_label = 'forum' AND ct.model = 'municipality'
        JOIN auth_permission pm ON pm.content_type_id = ct.id
             AND pm.codename = 'triage_municipality'
        WHERE a.is_ssp_consultant;
        """,
    ),
    (
        "people of the sized municipalities",
        """
        -- One SSP consultant (who triages, so sees every case), one police officer and one
        -- school team chair per sized municipality, all in its first school team; the
        -- consultant and the officer also in the §115 group.
        CREATE TEMP TABLE scale_k ON COMMIT DROP AS
        SELECT m.id, s.k, r.sector
        FROM unnest(%(sized)s::int[]) WITH ORDINALITY AS s(size, k)
        JOIN forum_municipality m ON m.code = 'SK' || s.k,
        unnest(ARRAY['ssp', 'police', 'school']) AS r(sector);
        INSERT INTO ssp_user (password, is_superuser, email, full_name, sector, is_active,
                              is_staff, date_joined, session_generation)
        SELECT %(password)s, false, 'sized-k' || k || '-' || sector || '@scale.ssp',
               'Scale K' || k || ' ' || sector, sector, true, false, now(), 0
        FROM scale_k;
        INSERT INTO forum_affiliation (user_id, municipality_id, is_ssp_consultant,
                                       is_administrator)
        SELECT u.id, k.id, k.sector = 'ssp', false
        FROM scale_k k JOIN ssp_user u ON u.email = 'sized-k' || k.k || '-' || k.sector
             || '@scale.ssp';
        INSERT INTO forum_person (municipality_id, full_name, job_title, sector, email, phone,
                                  user_id)
        SELECT a.municipality_id, u.full_name, '', u.sector, '', '', u.id
        FROM forum_affiliation a JOIN ssp_user u ON u.id = a.user_id
        WHERE u.email LIKE 'sized-k%%@scale.ssp';
        INSERT INTO forum_membership (body_id, person_id, role, joined_at)
        SELECT b.id, p.id, CASE WHEN p.sector = 'school' THEN 'chair' ELSE 'member' END, now()
        FROM forum_person p JOIN ssp_user u ON u.id = p.user_id
        JOIN forum_unit un ON un.municipality_id = p.municipality_id AND un.name = 'Skole 1'
        JOIN forum_body b ON b.unit_id = un.id
        WHERE u.email LIKE 'sized-k%%@scale.ssp';
        INSERT INTO forum_membership (body_id, person_id, role, joined_at)
        SELECT b.id, p.id, 'member', now()
        FROM forum_person p JOIN ssp_user u ON u.id = p.user_id
        JOIN forum_body b ON b.municipality_id = p.municipality_id AND b.kind = 'group_115'
        WHERE u.email LIKE 'sized-k%%@scale.ssp' AND p.sector IN ('ssp', 'police');
        INSERT INTO ssp_user_groups (user_id, group_id)
        SELECT DISTINCT p.user_id, b.group_id
        FROM forum_membership ms JOIN forum_person p ON p.id = ms.person_id
        JOIN forum_body b ON b.id = ms.body_id JOIN ssp_user u ON u.id = p.user_id
        WHERE u.email LIKE 'sized-k%%@scale.ssp';
        INSERT INTO guardian_userobjectpermission (object_pk, content_type_id, permission_id,
                                                   user_id)
        SELECT a.municipality_id::text, ct.id, pm.id, a.user_id
        FROM forum_affiliation a JOIN ssp_user u ON u.id = a.user_id
        JOIN django_content_type ct ON ct.app_label = 'forum' AND ct.model = 'municipality'
        JOIN auth_permission pm ON pm.content_type_id = ct.id
             AND pm.codename = 'triage_municipality'
        WHERE a.is_ssp_consultant AND u.email LIKE 'sized-k%%@scale.ssp';
        """,
    ),
    (
        "concern categories",
        """
        INSERT INTO cases_concerncategory (municipality_id, name, suggests_support_need,
                                           is_active, position)
        SELECT m.id, c.name, c.support, true, c.pos
        FROM forum_municipality m,
        (VALUES ('Kriminalitet', false, 0), ('Rusmidler', true, 1), ('Mistrivsel', true, 2))
            AS c(name, support, pos)
        WHERE m.code LIKE 'S%%';
        """,
    ),
    (
        "young people",
        """
        CREATE TEMP TABLE scale_m ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM forum_municipality
        WHERE code LIKE 'S%%';
        INSERT INTO cases_youngperson (municipality_id, full_name, birth_date, cpr_token,
                                       cpr_hash, created_at, legal_hold)
        SELECT m.id, 'Scale ung ' || i, date '2008-01-01' + (i %% 3000), '', '',
               now(), false
        FROM generate_series(1, %(c)s) i JOIN scale_m m ON m.n = i %% %(m)s;
        INSERT INTO cases_youngperson (municipality_id, full_name, birth_date, cpr_token,
                                       cpr_hash, created_at, legal_hold)
        SELECT m.id, 'Scale ung K' || s.k || '-' || i, date '2008-01-01' + (i %% 3000), '', '',
               now(), false
        FROM unnest(%(sized)s::int[]) WITH ORDINALITY AS s(size, k)
        JOIN forum_municipality m ON m.code = 'SK' || s.k,
        generate_series(1, s.size) i;
        """,
    ),
    (
        "cases",
        """
        CREATE TEMP TABLE scale_bodies ON COMMIT DROP AS
        SELECT b.id, b.municipality_id,
               row_number() OVER (PARTITION BY b.municipality_id ORDER BY b.id) - 1 AS n
        FROM forum_body b JOIN forum_municipality m ON m.id = b.municipality_id
        WHERE m.code LIKE 'S%%' AND b.kind IN ('school_team', 'group_115');
        CREATE INDEX ON scale_bodies (municipality_id, n);
        -- A sized municipality's cases are opened (and their concerns written) by its own
        -- consultant, so each consultant's "my concerns" is as full as the others'.
        CREATE TEMP TABLE scale_openers ON COMMIT DROP AS
        SELECT m.id AS municipality_id,
               COALESCE(u.id, (SELECT min(id) FROM ssp_user WHERE email LIKE '%%@scale.ssp'))
                   AS user_id
        FROM forum_municipality m
        LEFT JOIN ssp_user u ON u.email = 'sized-k' || substr(m.code, 3) || '-ssp@scale.ssp'
        WHERE m.code LIKE 'S%%';
        INSERT INTO cases_case (municipality_id, young_person_id, status, level,
                                prevention_kind, responsible_body_id, opened_at, opened_by_id,
                                updated_at, legal_hold, subject_description)
        SELECT y.municipality_id, y.id,
               (ARRAY['open', 'active', 'active', 'follow_up', 'closed'])[1 + y.id %% 5],
               'individual', 'reactive', b.id,
               now() - make_interval(days => (y.id %% 1000)::int), o.user_id,
               now() - make_interval(mins => (y.id * 7919 %% 1000000)::int), false, ''
        FROM cases_youngperson y
        JOIN forum_municipality m ON m.id = y.municipality_id AND m.code LIKE 'S%%'
        JOIN scale_bodies b ON b.municipality_id = y.municipality_id
             AND b.n = y.id %% (%(teams)s + 1)
        JOIN scale_openers o ON o.municipality_id = y.municipality_id;
        """,
    ),
    (
        "concerns",
        """
        INSERT INTO cases_concern (municipality_id, author_id, subject_kind, young_person_id,
            subject_description, category_id, description, observed_on, location, urgency,
            submitted_at, submission_token, notification_status, notified_by, status,
            case_id, legal_hold, closed_reason)
        SELECT c.municipality_id, c.opened_by_id, 'person', c.young_person_id, '',
               (SELECT min(id) FROM cases_concerncategory k
                WHERE k.municipality_id = c.municipality_id),
               'Bekymring om ung nummer ' || c.young_person_id || ': set ved stationen.',
               c.opened_at::date, '', 'normal', c.opened_at, gen_random_uuid(),
               'not_relevant', '', 'linked', c.id, false, ''
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%';
        -- One case in fifty has a second, new concern waiting in the triage queue.
        INSERT INTO cases_concern (municipality_id, author_id, subject_kind, young_person_id,
            subject_description, category_id, description, observed_on, location, urgency,
            submitted_at, submission_token, notification_status, notified_by, status,
            legal_hold, closed_reason)
        SELECT c.municipality_id, c.opened_by_id, 'person', c.young_person_id, '',
               (SELECT min(id) FROM cases_concerncategory k
                WHERE k.municipality_id = c.municipality_id),
               'Ny bekymring om ung nummer ' || c.young_person_id || '.',
               c.updated_at::date, '', (ARRAY['normal', 'normal', 'soon', 'urgent'])[1 + c.id %% 4],
               c.updated_at, gen_random_uuid(), 'not_relevant', '', 'new', false, ''
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%' AND c.id %% 50 = 0;
        -- And one in fifty a concern closed without a case (the consultants' closed list).
        INSERT INTO cases_concern (municipality_id, author_id, subject_kind, young_person_id,
            subject_description, category_id, description, observed_on, location, urgency,
            submitted_at, submission_token, notification_status, notified_by, status,
            legal_hold, closed_reason, triaged_at, triaged_by_id)
        SELECT c.municipality_id, c.opened_by_id, 'person', c.young_person_id, '',
               (SELECT min(id) FROM cases_concerncategory k
                WHERE k.municipality_id = c.municipality_id),
               'Afsluttet bekymring om ung nummer ' || c.young_person_id || '.',
               c.updated_at::date, '', 'normal', c.updated_at, gen_random_uuid(),
               'not_relevant', '', 'closed', false, 'Ikke en sag for SSP.', c.updated_at,
               c.opened_by_id
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%' AND c.id %% 50 = 25;
        """,
    ),
    (
        "access log (one row per case)",
        """
        INSERT INTO ssp_auditevent (at, user_id, user_email, action, object_type, object_id,
                                    subject_id, shown_subjects, municipality_id, search_term,
                                    purpose, path)
        SELECT c.updated_at, c.opened_by_id, 'scale1@scale.ssp', 'view', 'cases.case',
               c.id::text, c.young_person_id, '{}', c.municipality_id, '', '',
               '/sager/' || c.id || '/'
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%';
        """,
    ),
    (
        "ad-hoc groups",
        """
        CREATE TEMP TABLE scale_adhoc ON COMMIT DROP AS
        SELECT c.id AS case_id, c.municipality_id, c.responsible_body_id
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%' AND c.id %% %(adhoc_every)s = 0;
        INSERT INTO auth_group (name) SELECT 'scale-adhoc-' || case_id FROM scale_adhoc;
        INSERT INTO forum_body (kind, name, municipality_id, parent_id, purpose,
                                meeting_rhythm, group_id, created_at)
        SELECT 'ad_hoc', 'Ad hoc-gruppe, sag ' || a.case_id, a.municipality_id,
               a.responsible_body_id, '', '', g.id, now()
        FROM scale_adhoc a JOIN auth_group g ON g.name = 'scale-adhoc-' || a.case_id;
        UPDATE cases_case c SET adhoc_group_id = b.id
        FROM forum_body b WHERE b.kind = 'ad_hoc' AND b.name = 'Ad hoc-gruppe, sag ' || c.id
        AND c.id IN (SELECT case_id FROM scale_adhoc);
        -- Two people of the municipality join each group: one police officer, one other.
        INSERT INTO forum_membership (body_id, person_id, role, joined_at)
        SELECT b.id, p.id, 'member', now()
        FROM scale_adhoc a JOIN cases_case c ON c.id = a.case_id
        JOIN forum_body b ON b.id = c.adhoc_group_id
        JOIN LATERAL (
            SELECT id FROM forum_person
            WHERE municipality_id = a.municipality_id AND sector = 'police'
            ORDER BY id OFFSET (a.case_id / %(adhoc_every)s) %% 10 LIMIT 1
        ) p ON true;
        INSERT INTO ssp_user_groups (user_id, group_id)
        SELECT DISTINCT p.user_id, b.group_id
        FROM scale_adhoc a JOIN cases_case c ON c.id = a.case_id
        JOIN forum_body b ON b.id = c.adhoc_group_id
        JOIN forum_membership ms ON ms.body_id = b.id
        JOIN forum_person p ON p.id = ms.person_id;
        """,
    ),
    (
        "shares to police officers",
        """
        INSERT INTO cases_basis (case_id, user_id, ground, purpose, origin, legal_ground,
                                 given_by_id, given_at, end_reason)
        SELECT c.id, p.user_id, 'section_115', 'Politiet kan bidrage.', 'share', '',
               c.opened_by_id, now(), ''
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        JOIN LATERAL (
            SELECT user_id FROM forum_person
            WHERE municipality_id = c.municipality_id AND sector = 'police'
            ORDER BY id OFFSET (c.id / %(share_every)s) %% 7 LIMIT 1
        ) p ON true
        WHERE m.code LIKE 'S%%' AND c.id %% %(share_every)s = 0;
        -- The police officer in each ad-hoc group reads the case through a §115 basis.
        INSERT INTO cases_basis (case_id, user_id, ground, purpose, origin, legal_ground,
                                 given_by_id, given_at, end_reason)
        SELECT c.id, p.user_id, 'section_115', 'Politiet er med i ad hoc-gruppen.',
               'adhoc_member', '', c.opened_by_id, now(), ''
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        JOIN forum_membership ms ON ms.body_id = c.adhoc_group_id
        JOIN forum_person p ON p.id = ms.person_id AND p.sector = 'police'
        WHERE m.code LIKE 'S%%'
        ON CONFLICT DO NOTHING;
        """,
    ),
    (
        "object permissions (guardian tables)",
        """
        INSERT INTO cases_casegroupobjectpermission (content_object_id, group_id, permission_id,
                                                     all_sectors)
        SELECT c.id, b.group_id, %(perm)s, false
        FROM cases_case c JOIN forum_body b ON b.id = c.responsible_body_id
        JOIN forum_municipality m ON m.id = c.municipality_id WHERE m.code LIKE 'S%%';
        INSERT INTO cases_casegroupobjectpermission (content_object_id, group_id, permission_id,
                                                     all_sectors)
        SELECT c.id, b.group_id, %(perm)s, false
        FROM cases_case c JOIN forum_body b ON b.id = c.adhoc_group_id
        JOIN forum_municipality m ON m.id = c.municipality_id WHERE m.code LIKE 'S%%';
        INSERT INTO cases_caseuserobjectpermission (content_object_id, user_id, permission_id,
                                                    all_sectors)
        SELECT DISTINCT s.case_id, s.user_id, %(perm)s, true FROM cases_basis s
        JOIN cases_case c ON c.id = s.case_id
        JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%' AND s.ended_at IS NULL;
        """,
    ),
    (
        "directory people (one per case)",
        """
        -- The actor directory: besides the users, one person without a login per case, so
        -- a consultant sees about as many people as cases (1,000 / 10,000 / 100,000). After
        -- the groups and shares, which pick police officers with a login among the people.
        INSERT INTO forum_person (municipality_id, full_name, job_title, sector, email, phone)
        SELECT c.municipality_id, 'Scale aktør ' || c.id, 'Medarbejder',
               (ARRAY['school', 'social', 'culture', 'police'])[1 + c.id %% 4], '', ''
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%';
        """,
    ),
    (
        "meetings (one per case) and their participants",
        """
        -- One meeting per case in its responsible body, spread a year back and a year ahead;
        -- every SSP consultant of the municipality is invited (my meetings).
        INSERT INTO meetings_meeting (uid, body_id, kind, title, starts_at, ends_at, location,
            online_url, status, cancel_reason, sequence, organiser_id, created_at, updated_at)
        SELECT gen_random_uuid(), c.responsible_body_id, 'regular', 'Møde ' || c.id,
               date_trunc('hour', now())
                   + make_interval(hours => (c.id * 7919 %% 17520)::int - 8760),
               date_trunc('hour', now())
                   + make_interval(hours => (c.id * 7919 %% 17520)::int - 8759),
               '', '', 'planned', '', 0, c.opened_by_id, now(), now()
        FROM cases_case c JOIN forum_municipality m ON m.id = c.municipality_id
        WHERE m.code LIKE 'S%%';
        INSERT INTO meetings_participant (meeting_id, person_id, is_guest, rsvp)
        SELECT mt.id, p.id, false, ''
        FROM meetings_meeting mt JOIN forum_body b ON b.id = mt.body_id
        JOIN forum_municipality m ON m.id = b.municipality_id AND m.code LIKE 'S%%'
        JOIN forum_affiliation a ON a.municipality_id = m.id AND a.is_ssp_consultant
        JOIN forum_person p ON p.user_id = a.user_id AND p.municipality_id = m.id;
        """,
    ),
    (
        "prevention activities",
        """
        CREATE TEMP TABLE scale_pm ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM forum_municipality
        WHERE code LIKE 'S%%';
        CREATE TEMP TABLE scale_pb ON COMMIT DROP AS
        SELECT b.id, b.municipality_id, b.unit_id,
               row_number() OVER (PARTITION BY b.municipality_id ORDER BY b.id) - 1 AS n
        FROM forum_body b JOIN scale_pm m ON m.id = b.municipality_id
        WHERE b.kind IN ('lokalraad', 'ssp_forum', 'group_115', 'school_team');
        CREATE INDEX ON scale_pb (municipality_id, n);
        ANALYZE scale_pb;
        -- Every municipality gets its share, spread over its bodies, the ten kinds, the three
        -- levels and kinds of prevention, and the last two years; four in five are done.
        INSERT INTO prevention_activity (uid, sequence, municipality_id, body_id, kind,
            prevention_kind, level, title, description, planned_on, age_band, grade, school_id,
            place, pupils, parents, professionals, young_people, mood, issues, asked_by, topic,
            outcome, done_at, created_at, updated_at)
        SELECT gen_random_uuid(), 0, b.municipality_id, b.id, a.kind,
               (ARRAY['proactive', 'reactive', 'situational'])[1 + a.i %% 3],
               (ARRAY['general', 'general', 'specific', 'individual'])[1 + a.i %% 4],
               'Aktivitet ' || a.i, '', a.day, '', '', b.unit_id,
               CASE WHEN a.kind = 'street_round' THEN 'Sted ' || (a.i %% 9) ELSE '' END,
               CASE WHEN a.kind IN ('teaching', 'theme_day') THEN 10 + a.i %% 40 ELSE 0 END,
               CASE WHEN a.kind = 'parent_meeting' THEN 5 + a.i %% 30 ELSE 0 END,
               CASE WHEN a.kind IN ('course', 'network_meeting') THEN 3 + a.i %% 15 ELSE 0 END,
               CASE WHEN a.kind = 'street_round' THEN a.i %% 25 ELSE 0 END,
               '', '{}', '', '', '',
               CASE WHEN a.i %% 5 = 0 THEN NULL ELSE a.day + time '16:00' END,
               now(), now()
        FROM (
            SELECT i, (ARRAY['teaching', 'parent_meeting', 'theme_day', 'course', 'campaign',
                             'street_round', 'network_meeting', 'counselling', 'situational',
                             'other'])[1 + (i / 7) %% 10] AS kind,
                   current_date - (i::bigint * 7919 %% %(days)s)::int AS day
            FROM generate_series(1, %(a)s) i
        ) a
        JOIN scale_pm m ON m.n = a.i %% %(m)s
        JOIN scale_pb b ON b.municipality_id = m.id AND b.n = (a.i / %(m)s) %% (%(teams)s + 3);
        """,
    ),
]
