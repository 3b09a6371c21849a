from django.urls import path

from desk.knowledge_editor import translation_views

urlpatterns = [
    path("", translation_views.queue, name="knowledge-translations"),
    path("confirm/", translation_views.confirm, name="knowledge-translations-confirm"),
]
