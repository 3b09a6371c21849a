"""Lawyers edit topics and review each other's drafts (knowledge_editor.edit_topic, .review_draft);
translators edit the translations in a draft (.translate_topic). Admins are superusers and have every
permission.

desk/accounts/grants.py makes the permissions it grants (post_migrate would be too late)."""

from django.db import migrations

from desk.accounts.grants import granting

PERMISSIONS = {
    "edit_topic": "Can edit a topic's texts in a draft",
    "review_draft": "Can approve, return and publish another person's draft",
    "translate_topic": "Can edit a topic's translations (not the Russian) in a draft",
}
GRANTS = {"lawyer": ("edit_topic", "review_draft"), "translator": ("translate_topic",)}


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_editor", "0001_drafts"),
        ("accounts", "0001_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(*granting("knowledge_editor", "draft", PERMISSIONS, GRANTS))]
