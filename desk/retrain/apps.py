from django.apps import AppConfig


class RetrainConfig(AppConfig):
    name = "desk.retrain"
    label = "retrain"
    verbose_name = "Retrain"
