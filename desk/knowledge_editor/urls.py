from django.urls import path

from desk.knowledge_editor import views

urlpatterns = [
    path("", views.index, name="knowledge-drafts"),
    path("topics/<str:topic_id>/", views.edit, name="knowledge-edit"),
    path("topics/<str:topic_id>/submit/", views.submit, name="knowledge-submit"),
    path("topics/<str:topic_id>/history/", views.topic_history, name="knowledge-history"),
    path("topics/<str:topic_id>/rollback/", views.rollback, name="knowledge-rollback"),
    path("drafts/<int:pk>/", views.draft_page, name="knowledge-draft"),
    path("drafts/<int:pk>/review/", views.review, name="knowledge-review"),
    path("drafts/<int:pk>/publish/", views.publish, name="knowledge-publish"),
    path("drafts/<int:pk>/withdraw/", views.withdraw, name="knowledge-withdraw"),
]
