"""Roles are Django Groups (made by migration 0001): who may use which part of the desk.

staff       answers callers: lookup and the caller's risk check (cases, next)
lawyer      lookup too; edits, reviews and publishes the knowledge (desk/knowledge_editor)
translator  edits translations in knowledge drafts (desk/knowledge_editor); no lookup
admin       everything, and the accounts in /admin/
Every view names its roles with @role_required; anyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

STAFF, LAWYER, TRANSLATOR, ADMIN = "staff", "lawyer", "translator", "admin"
ROLES = (STAFF, LAWYER, TRANSLATOR, ADMIN)
LOOKUP_ROLES = (STAFF, LAWYER, ADMIN)


def roles_of(user: Any) -> set[str]:
    """The user's roles (a superuser has every one); none for anonymous or deactivated users."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return set(ROLES)
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_required(*roles: str) -> Callable:
    """A view for these roles only: 403 for everyone else (login is checked before, by the middleware)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def roles_context(request: HttpRequest) -> dict[str, Any]:
    """Templates see the user's roles (to show only the links they may follow)."""
    user = getattr(request, "user", None)
    mine = roles_of(user) if user is not None else set()
    return {"desk_roles": mine, "desk_may_look_up": bool(mine & set(LOOKUP_ROLES))}
