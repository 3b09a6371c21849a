"""The cells a draft of a whole file (contacts.yaml, risk_rules.yaml) changes; null for a topic's draft."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_editor", "0003_facts_examples_and_base_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="draftrevision",
            name="edited",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
