"""Publishing pushes to the shared knowledge repository when KENESH_KNOWLEDGE_PUSH names a remote; a
push that fails leaves the publish in place and says why (desk/knowledge_editor/repository.py push)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from desk.knowledge_editor.models import Draft, KnowledgeEvent
from tests.desk.knowledge_editor.conftest import TOPIC, git
from tests.desk.knowledge_editor.test_workflow import approve, login, made_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(knowledge_repo: Path, tmp_path: Path):
    """A bare repository the knowledge checkout pushes to, as `origin`."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    repo = knowledge_repo.parent
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "--quiet", "origin", "HEAD")
    kenesh = dataclasses.replace(django_settings.KENESH, knowledge_push="origin")
    with override_settings(KENESH=kenesh):
        yield bare


def publish(cast, knowledge_repo: Path, short: str | None = None) -> Client:
    """A draft by one lawyer, approved and published by another; the page after publishing."""
    draft = made_draft(cast["lawyer_a"], knowledge_repo)
    if short is not None:
        revision = draft.latest()
        revision.texts["ru"]["short"] = short
        revision.save()
    client = login(Client(), cast["lawyer_b"])
    approve(client, draft)
    response = client.post(reverse("knowledge-publish", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.PUBLISHED
    return response


def test_a_publish_is_pushed_to_the_shared_repository(cast, knowledge_repo, shared) -> None:
    response = publish(cast, knowledge_repo)
    head = git(knowledge_repo.parent, "rev-parse", "HEAD")
    branch = git(knowledge_repo.parent, "symbolic-ref", "--short", "HEAD")
    assert git(shared, "rev-parse", branch) == head
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
    event = KnowledgeEvent.objects.get(action="knowledge.push")
    assert event.data == {"commit": head, "remote": "origin", "ok": True, "error": ""}


def test_a_refused_push_keeps_the_publish_and_says_why(cast, knowledge_repo, shared) -> None:
    hook = shared / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'the shared repository is read-only today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = git(shared, "rev-parse", "--all")
    warnings = [str(m) for m in publish(cast, knowledge_repo).context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "origin" in warnings[0] and "read-only today" in warnings[0]
    assert git(shared, "rev-parse", "--all") == before  # the remote has nothing new
    assert "ru.short" in git(knowledge_repo.parent, "log", "-1", "--format=%s")  # the publish is committed here
    event = KnowledgeEvent.objects.get(action="knowledge.push")
    assert event.data["ok"] is False and "read-only today" in event.data["error"]

    hook.unlink()  # the remote is back: the next push carries the earlier commit along
    publish(cast, knowledge_repo, short="Повестка касается только граждан России. Спросите юриста.")
    assert git(shared, "log", "--format=%s", "-2").count("knowledge: ") == 2


def test_without_a_remote_nothing_is_pushed_and_the_history_is_local(cast, knowledge_repo) -> None:
    publish(cast, knowledge_repo)
    assert not KnowledgeEvent.objects.filter(action="knowledge.push").exists()
    assert git(knowledge_repo.parent, "log", "--format=%s").count("knowledge: ") == 1


def test_a_confirmed_translation_is_pushed_too(cast, knowledge_repo, shared) -> None:
    from tests.desk.knowledge_editor.test_translations import CONFIRM, QUEUE, TOPIC_FILE, commit, hidden, sections

    commit(knowledge_repo, TOPIC_FILE, "касается только граждан", "касается лишь граждан")
    client = login(Client(), cast["translator"])
    tajik = sections(client.get(QUEUE).content.decode())[(TOPIC, "", "tg")]
    client.post(CONFIRM, hidden(tajik))
    head = git(knowledge_repo.parent, "rev-parse", "HEAD")
    assert "tg translation confirmed" in git(knowledge_repo.parent, "log", "-1", "--format=%s")
    branch = git(knowledge_repo.parent, "symbolic-ref", "--short", "HEAD")
    assert git(shared, "rev-parse", branch) == head
    assert KnowledgeEvent.objects.get(action="knowledge.push").data["ok"] is True
