"""The conditions on earlier awards that ../shared/LAW.md names (votes/catalogue.py, CONDITIONS)."""

from django.db import migrations

from votes.catalogue import conditions_ensure


def conditions(apps, schema_editor):
    conditions_ensure(apps.get_model("votes", "Award"), apps.get_model("votes", "AwardCondition"))


class Migration(migrations.Migration):
    dependencies = [("votes", "0014_award_ledger")]

    operations = [migrations.RunPython(conditions, migrations.RunPython.noop)]
