from django.apps import AppConfig


class LookupConfig(AppConfig):
    name = "desk.lookup"
    label = "lookup"
    verbose_name = "Lookup"
