"""Lawyers edit topics and review each other's drafts (knowledge_editor.edit_topic, .review_draft);
translators edit the translations in a draft (.translate_topic). Admins are superusers and have every
permission.

The permissions are made here rather than left to post_migrate, which runs after every migration."""

from django.db import migrations

PERMISSIONS = {
    "edit_topic": "Can edit a topic's texts in a draft",
    "review_draft": "Can approve, return and publish another person's draft",
    "translate_topic": "Can edit a topic's translations (not the Russian) in a draft",
}
GRANTS = {"lawyer": ("edit_topic", "review_draft"), "translator": ("translate_topic",)}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="knowledge_editor", model="draft")
    made = {
        codename: Permission.objects.get_or_create(
            codename=codename, content_type=content_type, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    for group_name, codenames in GRANTS.items():
        Group.objects.get_or_create(name=group_name)[0].permissions.add(*(made[codename] for codename in codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(codename__in=PERMISSIONS, content_type__app_label="knowledge_editor"):
        permission.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_editor", "0001_drafts"),
        ("accounts", "0001_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
