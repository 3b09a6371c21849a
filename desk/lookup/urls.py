from django.urls import path

from desk.lookup import views

urlpatterns = [
    path("", views.search, name="lookup-search"),
    path("topics/<slug:topic_id>/", views.topic, name="lookup-topic"),
    path("risk-check/", views.risk_check, name="lookup-risk-check"),
]
