"""The knowledge page's permission, granted to the lawyer, translator and admin groups (not staff).

Django makes model permissions after all migrations have run (post_migrate), so this migration
makes the one it grants itself; post_migrate then finds it there.
"""

from django.db import migrations, models

GROUPS = ("lawyer", "translator", "admin")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="knowledge_status", model="knowledgestatus")
    permission, _ = Permission.objects.get_or_create(
        codename="view_knowledge_status", content_type=content_type, defaults={"name": "Can see the knowledge page"}
    )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="knowledge_status"))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="KnowledgeStatus",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))
            ],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": [("view_knowledge_status", "Can see the knowledge page")],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
