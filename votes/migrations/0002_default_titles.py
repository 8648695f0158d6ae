"""Default titles: vote thresholds (80%, 90% for the highest) and rewards as multiples of the
base salary. The multiples are editable data; check them against Decree 152/2025/NĐ-CP."""

from decimal import Decimal

from django.db import migrations

TITLES = [
    ("Giấy khen", "80", "0.6", 10),
    ("Tập thể lao động tiên tiến", "80", "0.8", 20),
    ("Tập thể lao động xuất sắc", "80", "1.5", 30),
    ("Điển hình tiên tiến", "80", "0", 40),
    ("Bằng khen", "80", "2.0", 50),
    ("Cờ thi đua", "90", "8.0", 60),
]


def forwards(apps, schema_editor):
    Title = apps.get_model("votes", "Title")
    for name, threshold, multiple, order in TITLES:
        Title.objects.get_or_create(name=name, defaults={
            "threshold_percent": Decimal(threshold), "reward_multiple": Decimal(multiple),
            "order": order,
        })


class Migration(migrations.Migration):
    dependencies = [("votes", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
