"""Lawyers and admins see the radar: the lawyer and admin groups get radar.view_weeklycount.

Django makes model permissions after all migrations have run (post_migrate), so this migration
makes the one it grants itself; post_migrate then finds it there.
"""

from django.db import migrations

GROUPS = ("lawyer", "admin")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="radar", model="weeklycount")
    permission, _ = Permission.objects.get_or_create(
        codename="view_weeklycount", content_type=content_type, defaults={"name": "Can view weekly count"}
    )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="radar"))


class Migration(migrations.Migration):
    dependencies = [
        ("radar", "0001_initial"),
        ("accounts", "0001_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
