"""Each award's numbers by period: a term of an award the province's office had edited keeps the
edited numbers as the term in force from 01/7/2025 (NĐ 152/2025) and is never written over; the
shipped terms of votes/catalogue.py fill the other periods, with their sources."""

import datetime

from django.db import migrations

from votes.catalogue import catalogue_ensure

EDITED_FROM = datetime.date(2025, 7, 1)
MOVED = [
    "level",
    "highest_level",
    "level_source",
    "rule",
    "threshold_percent",
    "threshold_source",
    "threshold_verified",
    "multiple_collective",
    "multiple_individual",
    "multiple_household",
    "multiple_source",
    "multiple_verified",
    "edited_by_id",
    "edited_at",
]


def terms_from_awards(apps, schema_editor):
    Award = apps.get_model("votes", "Award")
    AwardTerm = apps.get_model("votes", "AwardTerm")
    for award in Award.objects.filter(edited_at__isnull=False):
        AwardTerm.objects.create(
            award=award,
            valid_from=EDITED_FROM,
            texts="Luật TĐKT 06/2022, NĐ 152/2025",
            **{name: getattr(award, name) for name in MOVED},
        )
    catalogue_ensure(Award, apps.get_model("votes", "BaseSalary"), AwardTerm)


class Migration(migrations.Migration):
    dependencies = [("votes", "0006_award_terms_by_period")]

    operations = [migrations.RunPython(terms_from_awards, migrations.RunPython.noop)]
