from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "desk.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """The desk's first app to load compiles its catalogs, before any page is translated."""
        from desk.kenesh_desk.catalogs import compile_catalogs

        compile_catalogs()
