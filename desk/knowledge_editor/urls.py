from django.urls import path

from desk.knowledge_editor import views

urlpatterns = [
    path("", views.index, name="knowledge-drafts"),
    path("topics/<str:topic_id>/", views.edit, name="knowledge-edit"),
    path("topics/<str:topic_id>/submit/", views.submit, name="knowledge-submit"),
    path("topics/<str:topic_id>/history/", views.topic_history, name="knowledge-history"),
    path("topics/<str:topic_id>/rollback/", views.rollback, name="knowledge-rollback"),
    path("contacts/", views.edit_file, {"entry": "contacts"}, name="knowledge-edit-contacts"),
    path("contacts/submit/", views.submit, {"topic_id": "contacts"}, name="knowledge-submit-contacts"),
    path("risk-rules/", views.edit_file, {"entry": "risk_rules"}, name="knowledge-edit-rules"),
    path("risk-rules/submit/", views.submit, {"topic_id": "risk_rules"}, name="knowledge-submit-rules"),
    path("risk-rules/diagram.svg", views.rules_diagram, name="knowledge-rules-diagram"),
    path("drafts/<int:pk>/", views.draft_page, name="knowledge-draft"),
    path("drafts/<int:pk>/review/", views.review, name="knowledge-review"),
    path("drafts/<int:pk>/publish/", views.publish, name="knowledge-publish"),
    path("drafts/<int:pk>/withdraw/", views.withdraw, name="knowledge-withdraw"),
]
