"""Lawyers and admins may retrain the model; only admins may put live a model that misses the targets."""

from django.db import migrations

from desk.accounts.grants import granting


class Migration(migrations.Migration):
    dependencies = [
        ("retrain", "0001_initial"),
        ("accounts", "0001_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(
            *granting(
                "retrain",
                "trainingrun",
                {
                    "start_training": "Can retrain the model",
                    "override_gates": "Can put live a model that misses the targets",
                },
                {"lawyer": ["start_training"], "admin": ["start_training", "override_gates"]},
            )
        )
    ]
