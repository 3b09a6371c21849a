from django.urls import path

from desk.knowledge_status import views

urlpatterns = [
    path("", views.status, name="knowledge-status"),
]
