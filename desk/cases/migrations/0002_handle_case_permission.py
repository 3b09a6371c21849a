"""Staff and admins answer cases: the groups `staff` and `admin` get `cases.handle_case`.

The permission is made here rather than left to post_migrate, which runs after every migration:
a data migration cannot see it otherwise."""

from django.db import migrations

GROUPS = ("staff", "admin")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="cases", model="case")
    permission, _ = Permission.objects.get_or_create(
        codename="handle_case", content_type=content_type, defaults={"name": "Can answer cases"}
    )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(codename="handle_case", content_type__app_label="cases"):
        permission.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_cases"),
        ("accounts", "0001_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
