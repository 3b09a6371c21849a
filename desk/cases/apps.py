from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "desk.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        """A malformed KENESH_HANDOFF_HOURS or _TIMEZONE stops the desk at start-up, not at the first case."""
        from django.conf import settings

        from desk.cases.hours import check

        check(settings.KENESH)
