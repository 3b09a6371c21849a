from django.urls import path

from desk.retrain import views

urlpatterns = [
    path("", views.page, name="knowledge-retrain"),
    path("panel", views.panel, name="knowledge-retrain-panel"),
    path("start", views.start, name="knowledge-retrain-start"),
    path("<int:run_id>/put-live", views.override, name="knowledge-retrain-override"),
]
