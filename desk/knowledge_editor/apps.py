from django.apps import AppConfig


class KnowledgeEditorConfig(AppConfig):
    name = "desk.knowledge_editor"
    label = "knowledge_editor"
    verbose_name = "Knowledge editor"
