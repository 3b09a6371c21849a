"""The knowledge page's permission, granted to the lawyer, translator and admin groups (not staff).

desk/accounts/grants.py makes the permission it grants (post_migrate would be too late).
"""

from django.db import migrations, models

from desk.accounts.grants import granting

GROUPS = ("lawyer", "translator", "admin")


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
        migrations.RunPython(
            *granting(
                "knowledge_status",
                "knowledgestatus",
                {"view_knowledge_status": "Can see the knowledge page"},
                {group: ["view_knowledge_status"] for group in GROUPS},
            )
        ),
    ]
