"""Mounted at /internal/counts by desk/kenesh_desk/urls.py (the rest of /internal/ is desk/cases')."""

from django.urls import path

from desk.radar import internal_api

urlpatterns = [path("", internal_api.counts, name="internal-counts")]
