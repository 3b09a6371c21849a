from django.apps import AppConfig


class KnowledgeStatusConfig(AppConfig):
    name = "desk.knowledge_status"
    label = "knowledge_status"
    verbose_name = "Knowledge page"
