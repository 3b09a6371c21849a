"""Data migrations that give a role a permission: `migrations.RunPython(*granting(...))`.

Django makes model permissions only after all migrations have run (post_migrate), so a migration
that grants one makes it itself; post_migrate then finds it there. Revoking takes it from every group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Step = Callable[[Any, Any], None]


def granting(
    app_label: str, model: str, permissions: Mapping[str, str], roles: Mapping[str, Sequence[str]]
) -> tuple[Step, Step]:
    """(grant, revoke) for RunPython: `permissions` is codename -> name; `roles` is group -> codenames."""

    def grant(apps: Any, schema_editor: Any) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        Group = apps.get_model("auth", "Group")
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        made = {
            codename: Permission.objects.get_or_create(
                codename=codename, content_type=content_type, defaults={"name": name}
            )[0]
            for codename, name in permissions.items()
        }
        for group, codenames in roles.items():
            Group.objects.get_or_create(name=group)[0].permissions.add(*(made[codename] for codename in codenames))

    def revoke(apps: Any, schema_editor: Any) -> None:
        Permission = apps.get_model("auth", "Permission")
        for permission in Permission.objects.filter(codename__in=permissions, content_type__app_label=app_label):
            permission.group_set.clear()

    return grant, revoke
