"""The standard unit kinds and the four role groups. Kinds stay data: more can be added any time."""

from django.db import migrations

from units.kinds import STANDARD_KINDS as KINDS

ROLES = ["campaign_manager", "unit_head", "unit_staff", "council_member"]


def forwards(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    Group = apps.get_model("auth", "Group")
    for code, name, order in KINDS:
        UnitKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
