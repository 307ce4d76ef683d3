from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import migrations, models
from django.db.models.expressions import F


class Migration(migrations.Migration):
    dependencies = [("forum", "0004_person_private_contact")]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="ssp_age_limit",
            field=models.PositiveSmallIntegerField(
                db_default=17,
                default=17,
                validators=[MinValueValidator(10), MaxValueValidator(30)],
                verbose_name="SSP: til og med alder",
            ),
        ),
        migrations.AddField(
            model_name="municipality",
            name="ssp_plus_age_limit",
            field=models.PositiveSmallIntegerField(
                db_default=25,
                default=25,
                validators=[MinValueValidator(10), MaxValueValidator(40)],
                verbose_name="SSP+: til og med alder",
            ),
        ),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.CheckConstraint(
                condition=models.Q(ssp_plus_age_limit__gte=F("ssp_age_limit")),
                name="forum_municipality_age_bands_in_order",
                violation_error_message="SSP+ skal gå mindst lige så højt op i alder som SSP.",
            ),
        ),
    ]
