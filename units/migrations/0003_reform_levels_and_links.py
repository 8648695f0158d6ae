"""The 2025 reform as data: unit kinds get a level and a last day (huyện, thị trấn), and a unit's
history becomes links with an effective date. Each existing `successor` becomes a link that took
effect the day after the old unit closed (a merger: the old data cannot say more)."""

import datetime

import django.db.models.deletion
from django.db import migrations, models

from units.kinds import KIND_LEVELS


def forwards(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    Unit = apps.get_model("units", "Unit")
    UnitLink = apps.get_model("units", "UnitLink")
    for code, (level, until) in KIND_LEVELS.items():
        UnitKind.objects.filter(code=code).update(level=level, valid_until=until)
    links = []
    for unit in Unit.objects.filter(successor__isnull=False).exclude(successor=models.F("pk")):
        closed = unit.valid_to or datetime.date(2025, 6, 30)
        links.append(
            UnitLink(
                predecessor_id=unit.pk,
                successor_id=unit.successor_id,
                kind="merger",
                effective_on=closed + datetime.timedelta(days=1),
            )
        )
    UnitLink.objects.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("units", "0002_kinds_and_roles")]

    operations = [
        migrations.AddField(
            model_name="unitkind",
            name="level",
            field=models.CharField(
                choices=[
                    ("province", "Cấp tỉnh"),
                    ("district", "Cấp huyện"),
                    ("commune", "Cấp xã"),
                    ("organisation", "Cơ quan, tổ chức"),
                ],
                default="organisation",
                max_length=16,
                verbose_name="cấp",
            ),
        ),
        migrations.AddField(
            model_name="unitkind",
            name="valid_until",
            field=models.DateField(
                blank=True,
                help_text="Ngày cuối cùng loại đơn vị này còn tồn tại (huyện, thị trấn: 30/6/2025).",
                null=True,
                verbose_name="tồn tại đến",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="successor",
            field=models.ForeignKey(
                blank=True,
                help_text="Giữ cho tệp Excel; lịch sử đầy đủ là các liên kết kế thừa.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="predecessors",
                to="units.unit",
                verbose_name="đơn vị kế thừa chính",
            ),
        ),
        migrations.CreateModel(
            name="UnitLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("merger", "Sáp nhập"), ("split", "Chia tách"), ("rename", "Đổi tên")], max_length=16, verbose_name="hình thức")),
                ("effective_on", models.DateField(verbose_name="có hiệu lực từ")),
                ("legal_basis", models.CharField(blank=True, max_length=255, verbose_name="căn cứ")),
                ("predecessor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="successor_links", to="units.unit", verbose_name="đơn vị trước")),
                ("successor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="predecessor_links", to="units.unit", verbose_name="đơn vị sau")),
            ],
            options={
                "verbose_name": "liên kết kế thừa",
                "verbose_name_plural": "liên kết kế thừa",
                "ordering": ["effective_on", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("predecessor", "successor"), name="unit_link_unique_pair"),
                    models.CheckConstraint(condition=~models.Q(predecessor=models.F("successor")), name="unit_link_not_to_itself"),
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
