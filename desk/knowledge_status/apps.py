from django.apps import AppConfig


class KnowledgeStatusConfig(AppConfig):
    name = "desk.knowledge_status"
    label = "knowledge_status"
    verbose_name = "Knowledge page"

    def ready(self) -> None:
        """This app's words have their own catalog (locale/ beside this file), compiled as the desk's are."""
        from pathlib import Path

        from desk.kenesh_desk.catalogs import compile_catalogs

        compile_catalogs(Path(__file__).resolve().parent / "locale")
