from django.urls import path

from desk.cases import views

urlpatterns = [
    path("", views.queue, name="cases-queue"),
    path("<str:number>/", views.detail, name="cases-detail"),
    path("<str:number>/messages/", views.messages_part, name="cases-messages"),
    path("<str:number>/claim/", views.claim, name="cases-claim"),
    path("<str:number>/take-over/", views.take_over, name="cases-take-over"),
    path("<str:number>/reply/", views.reply, name="cases-reply"),
    path("<str:number>/insert-answer/", views.insert_answer, name="cases-insert-answer"),
    path("<str:number>/close/", views.close, name="cases-close"),
]
