"""The award catalogue and the base salaries (data and sources in votes/catalogue.py)."""

from django.db import migrations

from votes.catalogue import catalogue_ensure


def forwards(apps, schema_editor):
    catalogue_ensure(apps.get_model("votes", "Award"), apps.get_model("votes", "BaseSalary"))


class Migration(migrations.Migration):
    dependencies = [("votes", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
