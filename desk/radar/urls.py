from django.urls import path

from desk.radar import views

urlpatterns = [
    path("", views.radar, name="radar"),
    path("radar.csv", views.radar_csv, name="radar-csv"),
]
