"""The knowledge page stores nothing: this model has no table and only carries the page's permission.

A model permission, as for the radar, so roles get it the usual way (a data migration grants it to
the lawyer, translator and admin groups; migration 0001) and templates can ask `perms`.
"""

from __future__ import annotations

from django.db import models

PERMISSION = "knowledge_status.view_knowledge_status"


class KnowledgeStatus(models.Model):
    class Meta:
        managed = False  # no table
        default_permissions = ()
        permissions = [("view_knowledge_status", "Can see the knowledge page")]
