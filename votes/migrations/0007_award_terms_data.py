"""Each award's numbers by period: a term of an award the province's office had edited keeps the
edited numbers as the term in force from 01/7/2025 (NĐ 152/2025) and is never written over; the
shipped terms of votes/catalogue.py fill the other periods, with their sources."""

import datetime

from django.db import migrations

from votes.catalogue import catalogue_ensure

EDITED_FROM = datetime.date(2025, 7, 1)
# What `award_update` let the office change, and the columns that go with each number.
WITH = {
    "threshold_percent": ["rule", "threshold_percent", "threshold_source", "threshold_verified"],
    "multiple_collective": ["multiple_collective", "multiple_source", "multiple_verified"],
    "multiple_individual": ["multiple_individual", "multiple_source", "multiple_verified"],
    "multiple_household": ["multiple_household", "multiple_source", "multiple_verified"],
}


def terms_from_awards(apps, schema_editor):
    """The shipped terms first; then the numbers the office edited (their history names them)
    go onto the award's term from 01/7/2025, marked as the office's."""
    Award = apps.get_model("votes", "Award")
    AwardTerm = apps.get_model("votes", "AwardTerm")
    CatalogueEvent = apps.get_model("votes", "CatalogueEvent")
    catalogue_ensure(Award, apps.get_model("votes", "BaseSalary"), AwardTerm)
    for award in Award.objects.filter(edited_at__isnull=False):
        edited = set(
            CatalogueEvent.objects.filter(action="award_update", subject=award.name).values_list(
                "field", flat=True
            )
        )
        columns = {column for field in edited & set(WITH) for column in WITH[field]}
        values = {column: getattr(award, column) for column in columns}
        if not values.get("rule", "x"):  # an award written before it had a rule keeps the term's
            del values["rule"]
        values.update(edited_by_id=award.edited_by_id, edited_at=award.edited_at)
        term = AwardTerm.objects.filter(award=award, valid_from=EDITED_FROM).first()
        if term is None:
            continue
        for column, value in values.items():
            setattr(term, column, value)
        term.save()


class Migration(migrations.Migration):
    dependencies = [("votes", "0006_award_terms_by_period")]

    operations = [migrations.RunPython(terms_from_awards, migrations.RunPython.noop)]
