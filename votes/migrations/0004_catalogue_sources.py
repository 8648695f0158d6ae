"""The catalogue's sources with the article and clause each was found under, and the verified
marks (data and the state of each check in votes/catalogue.py, docs/domain-law.md)."""

from django.db import migrations

from votes.catalogue import catalogue_ensure


def forwards(apps, schema_editor):
    catalogue_ensure(apps.get_model("votes", "Award"), apps.get_model("votes", "BaseSalary"))


class Migration(migrations.Migration):
    dependencies = [("votes", "0003_levels_quotas_designations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
