from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "desk.radar"
    label = "radar"
    verbose_name = "Radar"
