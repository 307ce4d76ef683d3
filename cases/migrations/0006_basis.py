"""The §115 share becomes the recorded basis for access (`Basis`): every existing share is kept
as a §115 basis given by sharing, and the grant tables learn expiry and sector reach.

- Old rows: ground section_115, origin share; an ended share ended because it was revoked
  (someone revoked it) or expired (the expiry job ended it, nobody revoked it). A share whose
  expiry has passed but was never ended is ended as expired. Where a case was shared with the
  same recipient several times, the share lasting longest stays and the others are ended as
  revoked (at most one open basis per case and recipient from now on).
- The case grant tables are rebuilt from the new rule set (cases/permissions.py), in SQL.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TIDY_SHARES = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE cases_basis SET purpose = '-' WHERE btrim(purpose) = '';
UPDATE cases_basis
   SET end_reason = CASE WHEN ended_by_id IS NULL THEN 'expired' ELSE 'revoked' END
 WHERE ended_at IS NOT NULL;
UPDATE cases_basis SET ended_at = expires_at, end_reason = 'expired'
 WHERE ended_at IS NULL AND expires_at <= now();
WITH ranked AS (
    SELECT id, row_number() OVER (
        PARTITION BY case_id, body_id, user_id
        ORDER BY expires_at DESC NULLS FIRST, given_at DESC, id DESC
    ) AS n
      FROM cases_basis
     WHERE ended_at IS NULL
)
UPDATE cases_basis SET ended_at = now(), end_reason = 'revoked'
  FROM ranked WHERE cases_basis.id = ranked.id AND ranked.n > 1;
"""

REBUILD_GRANTS = """
SET CONSTRAINTS ALL IMMEDIATE;
DELETE FROM cases_casegroupobjectpermission;
DELETE FROM cases_caseuserobjectpermission;
WITH perm AS (
    SELECT p.id FROM auth_permission p
      JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE ct.app_label = 'cases' AND ct.model = 'case' AND p.codename = 'view_case'
)
INSERT INTO cases_casegroupobjectpermission
       (group_id, permission_id, content_object_id, all_sectors, expires_at)
SELECT DISTINCT b.group_id, perm.id, c.id, false, NULL::timestamptz
  FROM cases_case c CROSS JOIN perm
  JOIN forum_body b ON b.id = c.responsible_body_id OR b.id = c.adhoc_group_id
UNION ALL
SELECT b.group_id, perm.id, s.case_id, s.ground <> 'legal_ground',
       CASE WHEN bool_or(s.expires_at IS NULL) THEN NULL ELSE max(s.expires_at) END
  FROM cases_basis s CROSS JOIN perm
  JOIN forum_body b ON b.id = s.body_id
 WHERE s.ended_at IS NULL AND s.case_id IS NOT NULL
 GROUP BY b.group_id, perm.id, s.case_id, s.ground <> 'legal_ground'
ON CONFLICT DO NOTHING;
WITH perm AS (
    SELECT p.id FROM auth_permission p
      JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE ct.app_label = 'cases' AND ct.model = 'case' AND p.codename = 'view_case'
)
INSERT INTO cases_caseuserobjectpermission
       (user_id, permission_id, content_object_id, all_sectors, expires_at)
SELECT c.coordinator_id, perm.id, c.id, false, NULL::timestamptz
  FROM cases_case c CROSS JOIN perm WHERE c.coordinator_id IS NOT NULL
UNION ALL
SELECT s.user_id, perm.id, s.case_id, s.ground <> 'legal_ground',
       CASE WHEN bool_or(s.expires_at IS NULL) THEN NULL ELSE max(s.expires_at) END
  FROM cases_basis s CROSS JOIN perm
 WHERE s.ended_at IS NULL AND s.case_id IS NOT NULL AND s.user_id IS NOT NULL
 GROUP BY s.user_id, perm.id, s.case_id, s.ground <> 'legal_ground'
ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_pending_concerns_follow_ups_indexes"),
        ("forum", "0005_municipality_age_bands"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="share", name="cases_share_with_body_or_user"),
        migrations.RemoveIndex(model_name="share", name="cases_share_expiring"),
        migrations.RenameModel(old_name="Share", new_name="Basis"),
        migrations.RenameField(model_name="basis", old_name="shared_by", new_name="given_by"),
        migrations.RenameField(model_name="basis", old_name="shared_at", new_name="given_at"),
        migrations.RenameField(model_name="basis", old_name="revoked_at", new_name="ended_at"),
        migrations.RenameField(model_name="basis", old_name="revoked_by", new_name="ended_by"),
        migrations.AlterModelOptions(
            name="basis",
            options={
                "ordering": ("-given_at", "-id"),
                "verbose_name": "grundlag for adgang",
                "verbose_name_plural": "grundlag for adgang",
            },
        ),
        migrations.AlterField(
            model_name="basis",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="bases",
                to="cases.case",
            ),
        ),
        migrations.AlterField(
            model_name="basis",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="case_bases",
                to=settings.AUTH_USER_MODEL,
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="basis",
            name="concern",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="bases",
                to="cases.concern",
            ),
        ),
        migrations.AddField(
            model_name="basis",
            name="ground",
            field=models.CharField(
                choices=[
                    ("section_115", "Retsplejelovens §115"),
                    ("consent", "Samtykke"),
                    ("legal_ground", "Anden hjemmel"),
                ],
                default="section_115",
                max_length=20,
                verbose_name="grundlag",
            ),
        ),
        migrations.AddField(
            model_name="basis",
            name="origin",
            field=models.CharField(
                choices=[
                    ("share", "Deling"),
                    ("case_opened", "Sagen oprettet under organet"),
                    ("concern_routed", "Bekymringen sendt videre"),
                    ("adhoc_member", "Medlem af ad hoc-gruppen"),
                    ("agenda_item", "Sat på et mødes dagsorden"),
                    ("decision", "Beslutning på et møde"),
                ],
                default="share",
                max_length=20,
                verbose_name="givet ved",
            ),
        ),
        migrations.AddField(
            model_name="basis",
            name="consent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="bases",
                to="cases.consent",
                verbose_name="samtykke",
            ),
        ),
        migrations.AddField(
            model_name="basis",
            name="legal_ground",
            field=models.CharField(blank=True, max_length=300, verbose_name="hjemmel"),
        ),
        migrations.AddField(
            model_name="basis",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("revoked", "Tilbagekaldt"),
                    ("expired", "Udløbet"),
                    ("member_left", "Personen er ikke længere med i gruppen"),
                    ("group_closed", "Gruppen er lukket eller har ikke længere sagen"),
                    ("consent_withdrawn", "Samtykket er trukket tilbage"),
                    ("case_erased", "Sagen er slettet"),
                ],
                max_length=20,
                verbose_name="ophørt fordi",
            ),
        ),
        migrations.RunSQL(TIDY_SHARES, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("body__isnull", False), ("user__isnull", True)),
                    models.Q(("body__isnull", True), ("user__isnull", False)),
                    _connector="OR",
                ),
                name="cases_basis_body_xor_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("case__isnull", False), ("concern__isnull", True)),
                    models.Q(
                        ("body__isnull", False), ("case__isnull", True), ("concern__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="cases_basis_case_xor_routed_concern",
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("consent__isnull", True), ("ground", "section_115"), ("legal_ground", "")
                    ),
                    models.Q(
                        ("consent__isnull", False), ("ground", "consent"), ("legal_ground", "")
                    ),
                    models.Q(
                        ("consent__isnull", True),
                        ("ground", "legal_ground"),
                        models.Q(("legal_ground", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="cases_basis_ground_fields",
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.CheckConstraint(
                condition=models.Q(("purpose", ""), _negated=True), name="cases_basis_has_purpose"
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("end_reason", ""), ("ended_at__isnull", True), ("ended_by__isnull", True)
                    ),
                    models.Q(
                        ("ended_at__isnull", False), models.Q(("end_reason", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="cases_basis_end_fields",
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("body__isnull", False), ("case__isnull", False), ("ended_at__isnull", True)
                ),
                fields=("case", "body"),
                name="cases_basis_one_open_per_case_body",
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("case__isnull", False), ("ended_at__isnull", True), ("user__isnull", False)
                ),
                fields=("case", "user"),
                name="cases_basis_one_open_per_case_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="basis",
            constraint=models.UniqueConstraint(
                condition=models.Q(("concern__isnull", False), ("ended_at__isnull", True)),
                fields=("concern", "body"),
                name="cases_basis_one_open_per_concern_body",
            ),
        ),
        migrations.AddIndex(
            model_name="basis",
            index=models.Index(
                condition=models.Q(("ended_at__isnull", True), ("expires_at__isnull", False)),
                fields=["expires_at"],
                name="cases_basis_expiring",
            ),
        ),
        migrations.AddField(
            model_name="casegroupobjectpermission",
            name="all_sectors",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="casegroupobjectpermission",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseuserobjectpermission",
            name="all_sectors",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="caseuserobjectpermission",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterUniqueTogether(
            name="casegroupobjectpermission",
            unique_together={("group", "permission", "content_object", "all_sectors")},
        ),
        migrations.AlterUniqueTogether(
            name="caseuserobjectpermission",
            unique_together={("user", "permission", "content_object", "all_sectors")},
        ),
        migrations.RunSQL(REBUILD_GRANTS, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Sagen er oprettet"),
                    ("concern_linked", "Bekymring knyttet til sagen"),
                    ("status", "Status ændret"),
                    ("details", "Oplysninger ændret"),
                    ("consent", "Samtykke registreret"),
                    ("action", "Indsats"),
                    ("shared", "Delt efter §115"),
                    ("revoked", "Deling tilbagekaldt"),
                    ("expired", "Deling udløbet"),
                    ("group", "Ad hoc-gruppe"),
                    ("meeting", "Sat på dagsordenen"),
                    ("basis", "Adgang givet"),
                    ("basis_ended", "Adgang ophørt"),
                ],
                max_length=20,
            ),
        ),
    ]
