"""Lawyers and admins see the radar: the lawyer and admin groups get radar.view_weeklycount.

desk/accounts/grants.py makes the permission it grants (post_migrate would be too late).
"""

from django.db import migrations

from desk.accounts.grants import granting

GROUPS = ("lawyer", "admin")


class Migration(migrations.Migration):
    dependencies = [
        ("radar", "0001_initial"),
        ("accounts", "0001_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(
            *granting(
                "radar",
                "weeklycount",
                {"view_weeklycount": "Can view weekly count"},
                {group: ["view_weeklycount"] for group in GROUPS},
            )
        )
    ]
