"""Staff and admins answer cases: the groups `staff` and `admin` get `cases.handle_case`.

desk/accounts/grants.py makes the permission it grants (post_migrate would be too late)."""

from django.db import migrations

from desk.accounts.grants import granting

GROUPS = ("staff", "admin")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_cases"),
        ("accounts", "0001_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(
            *granting(
                "cases", "case", {"handle_case": "Can answer cases"}, {group: ["handle_case"] for group in GROUPS}
            )
        )
    ]
