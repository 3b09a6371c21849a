"""The bot's API, mounted at /internal/ (docs/handoff.md): loopback and a shared secret, no login."""

from django.urls import path

from desk.cases import internal_api

urlpatterns = [
    path("cases", internal_api.open_case, name="internal-cases"),
    path("cases/<str:number>/messages", internal_api.add_message, name="internal-case-messages"),
    path("cases/<str:number>/return", internal_api.return_to_bot, name="internal-case-return"),
    path("outbox", internal_api.outbox, name="internal-outbox"),
    path("outbox/<int:outbox_id>/ack", internal_api.acknowledge, name="internal-outbox-ack"),
    path("forget", internal_api.forget, name="internal-forget"),
    path("retention", internal_api.retention, name="internal-retention"),
    path("staff", internal_api.staff_message, name="internal-staff"),
]
