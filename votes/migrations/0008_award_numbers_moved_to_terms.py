"""The awards' undated numbers, now in their terms (0007)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("votes", "0007_award_terms_data")]

    operations = [
        migrations.RemoveConstraint(
            model_name="award",
            name="award_threshold_is_a_percentage",
        ),
        migrations.RemoveField(
            model_name="award",
            name="edited_at",
        ),
        migrations.RemoveField(
            model_name="award",
            name="edited_by",
        ),
        migrations.RemoveField(
            model_name="award",
            name="highest_level",
        ),
        migrations.RemoveField(
            model_name="award",
            name="level",
        ),
        migrations.RemoveField(
            model_name="award",
            name="level_source",
        ),
        migrations.RemoveField(
            model_name="award",
            name="multiple_collective",
        ),
        migrations.RemoveField(
            model_name="award",
            name="multiple_household",
        ),
        migrations.RemoveField(
            model_name="award",
            name="multiple_individual",
        ),
        migrations.RemoveField(
            model_name="award",
            name="multiple_source",
        ),
        migrations.RemoveField(
            model_name="award",
            name="multiple_verified",
        ),
        migrations.RemoveField(
            model_name="award",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="award",
            name="threshold_percent",
        ),
        migrations.RemoveField(
            model_name="award",
            name="threshold_source",
        ),
        migrations.RemoveField(
            model_name="award",
            name="threshold_verified",
        ),
    ]
