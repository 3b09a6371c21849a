"""The review workflow, and the only writer of drafts: save, roll back, submit, approve, return, withdraw,
publish; and a translator's confirmation that a translation still says what the Russian text says.

Four eyes: a draft goes for review only when `kb lint` finds no error in it; a lawyer who wrote no
revision of it approves or returns it (`can_approve`, which the pages use to show the buttons and
these functions to refuse the POST); an approval names the revision it saw and is refused if the
draft has changed since; publishing writes the approved revision and is refused if the topic file
changed since the draft started. Every step writes a KnowledgeEvent in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bot.knowledge.parity import SOURCE_LANGUAGE, TRANSLATIONS
from desk.knowledge_editor import files, repository, translations
from desk.knowledge_editor.models import Draft, DraftRevision, KnowledgeEvent, Review

EDIT = "knowledge_editor.edit_topic"  # every field (lawyers)
TRANSLATE = "knowledge_editor.translate_topic"  # the translations only (translators)
REVIEW = "knowledge_editor.review_draft"


class Refused(Exception):
    """The step is not allowed now; the message says why, for the person who tried."""


def _log(actor: Any, action: str, draft: Draft, review: Review | None = None, **data: Any) -> None:
    KnowledgeEvent.objects.create(
        actor=actor, action=action, topic_id=draft.topic_id, draft=draft, review=review, data=data
    )


def may_edit(user: Any) -> bool:
    """Lawyers edit every field, translators the translations; both save, send and withdraw drafts."""
    return user.has_perm(EDIT) or user.has_perm(TRANSLATE)


def open_draft(topic_id: str) -> Draft | None:
    return Draft.objects.filter(topic_id=topic_id, status__in=Draft.OPEN).first()


def can_approve(user: Any, draft: Draft) -> bool:
    """A lawyer who wrote no revision of the draft (nor started it) may approve or return it."""
    if not (user.is_authenticated and user.is_active and user.has_perm(REVIEW)):
        return False
    return draft.author_id != user.pk and not draft.revisions.filter(author=user).exists()


def _texts(fields: files.Texts, base: files.Texts) -> files.Texts:
    """Every field of every language: the edited ones from the form, the rest as the file has them."""
    return {lang: {f: files.clean(fields.get(lang, {}).get(f, base[lang][f])) for f in files.FIELDS} for lang in base}


def save(user: Any, topic_id: str, fields: files.Texts, loaded_revision: int) -> DraftRevision:
    """A new revision of the topic's open draft (started now if there is none).

    `loaded_revision` is the revision the editor was opened on (0: the published file); if the
    draft has moved on since, saving would overwrite someone's work, so it is refused.
    """
    if not may_edit(user):
        raise Refused(_("You may not edit the knowledge."))
    published = files.current(topic_id)
    base = files.read_texts(published[0])
    draft = open_draft(topic_id)
    latest = draft.latest() if draft else None
    texts = _texts(fields, latest.texts if latest else base)
    if not user.has_perm(EDIT) and texts[SOURCE_LANGUAGE] != (latest.texts if latest else base)[SOURCE_LANGUAGE]:
        raise Refused(_("Translators change the translations; a lawyer changes the Russian text."))
    return _new_revision(user, topic_id, published, texts, loaded_revision, "knowledge.draft.save")


def rollback(user: Any, topic_id: str, commit: str) -> DraftRevision:
    """A new draft holding the texts of an older version of the topic (the file as `commit` left it).

    It is an ordinary draft: linted, sent, approved by another lawyer and published like any other.
    Refused while the topic has an open draft (it would be overwritten: finish or withdraw it first).
    """
    if not user.has_perm(EDIT):
        raise Refused(_("A lawyer starts a draft from an old version."))
    if open_draft(topic_id) is not None:
        raise Refused(_("This topic already has an open draft. Finish it or withdraw it first."))
    relative = f"topics/{topic_id}.yaml"
    if not repository.changed(relative, commit):
        raise Refused(_("This version is not in the topic's history."))
    texts = files.version_texts(repository.text_at(commit, relative))
    published = files.current(topic_id)
    if texts == files.version_texts(published[0]):
        raise Refused(_("The texts of this version are the ones published now: a draft would change nothing."))
    return _new_revision(user, topic_id, published, texts, 0, "knowledge.draft.rollback", commit=commit)


def _new_revision(
    user: Any,
    topic_id: str,
    published: tuple[str, str],
    texts: files.Texts,
    loaded_revision: int,
    action: str,
    **data: Any,
) -> DraftRevision:
    """Lint `texts` and store them as the next revision of the topic's open draft (started now from
    the `published` file text and blob id if there is none); logged as `action` with `data`.
    `kb lint` runs before the transaction (it takes a second or two; the database stays free meanwhile)."""
    file_text, blob = published
    problems = files.lint_draft(topic_id, files.draft_yaml(topic_id, file_text, texts))
    with transaction.atomic():
        draft = open_draft(topic_id)
        latest = draft.latest() if draft else None
        if (latest.number if latest else 0) != loaded_revision:
            raise Refused(_("The draft has a newer revision than the one you opened: saving would overwrite it."))
        if draft is None:
            try:
                with transaction.atomic():
                    draft = Draft.objects.create(topic_id=topic_id, base_blob=blob, author=user)
            except IntegrityError:
                raise Refused(_("Someone else started a draft of this topic meanwhile: open it again.")) from None
        elif draft.status == Draft.Status.IN_REVIEW:
            draft.status = Draft.Status.DRAFT  # an edited draft is linted and sent again before anyone approves it
        revision = DraftRevision.objects.create(
            draft=draft,
            number=(latest.number if latest else 0) + 1,
            texts=texts,
            problems=[vars(problem) for problem in problems],
            author=user,
        )
        draft.save()
        fields = files.changed_fields(files.read_texts(file_text), texts)
        _log(user, action, draft, revision=revision.number, fields=fields, **data)
    return revision


def submit(user: Any, draft: Draft) -> list[files.FieldProblem]:
    """Send the draft for review if `kb lint` finds no error in it now; the problems that stop it."""
    if not may_edit(user):
        raise Refused(_("You may not edit the knowledge."))
    if draft.status not in (Draft.Status.DRAFT, Draft.Status.CHANGES_REQUESTED):
        raise Refused(_("Only a draft that is not under review can be sent for review."))
    latest = draft.latest()
    file_text = files.current(draft.topic_id)[0]
    problems = files.lint_draft(draft.topic_id, files.draft_yaml(draft.topic_id, file_text, latest.texts))
    blocking = [problem for problem in problems if problem.blocks]
    if blocking:
        return blocking
    with transaction.atomic():
        if draft.latest().number != latest.number:
            raise Refused(_("The draft changed meanwhile: look at it again."))
        _set_status(draft, Draft.Status.IN_REVIEW, draft.status)
        _log(user, "knowledge.draft.submit", draft, revision=latest.number)
    return []


def _set_status(draft: Draft, new: str, expected: str) -> None:
    """Compare and set: refused if someone else moved the draft on first."""
    if Draft.objects.filter(pk=draft.pk, status=expected).update(status=new) != 1:
        raise Refused(_("The draft changed meanwhile: look at it again."))
    draft.status = new


@transaction.atomic
def review(user: Any, draft: Draft, revision_number: int, decision: str, comment: str = "") -> Review:
    """Approve or return the revision the reviewer saw; refused for its authors and for a stale revision."""
    if not can_approve(user, draft):
        raise Refused(_("A draft is approved or returned by a lawyer who did not write it."))
    if draft.status != Draft.Status.IN_REVIEW:
        raise Refused(_("The draft is not under review."))
    latest = draft.latest()
    if latest.number != revision_number:
        raise Refused(
            _("The draft has changed since you read revision %(seen)s: read revision %(latest)s first.")
            % {"seen": revision_number, "latest": latest.number}
        )
    if decision == Review.Decision.RETURN:
        if not comment.strip():
            raise Refused(_("Say what to change when you return a draft."))
        _set_status(draft, Draft.Status.CHANGES_REQUESTED, Draft.Status.IN_REVIEW)
    elif decision != Review.Decision.APPROVE:
        raise Refused(_("Unknown decision."))
    done = Review.objects.create(
        draft=draft, revision_number=revision_number, reviewer=user, decision=decision, comment=comment.strip()
    )
    _log(
        user,
        f"knowledge.draft.{'approve' if decision == Review.Decision.APPROVE else 'return'}",
        draft,
        done,
        revision=revision_number,
    )
    return done


def approval(draft: Draft) -> Review | None:
    """The approval of the draft's latest revision, if it has one (an approval of an older one does not count)."""
    latest = draft.latest()
    if draft.status != Draft.Status.IN_REVIEW or latest is None:
        return None
    return draft.reviews.filter(decision=Review.Decision.APPROVE, revision_number=latest.number).last()


@transaction.atomic
def withdraw(user: Any, draft: Draft) -> None:
    """A lawyer, or the translator who started it, withdraws a draft."""
    if not (user.has_perm(EDIT) or (may_edit(user) and draft.author_id == user.pk)):
        raise Refused(_("You may not withdraw this draft."))
    if not draft.is_open:
        raise Refused(_("The draft is already closed."))
    _set_status(draft, Draft.Status.WITHDRAWN, draft.status)
    _log(user, "knowledge.draft.withdraw", draft)


def person(user: Any) -> repository.Person:
    """A desk account as git names people (accounts without an e-mail get a local, undeliverable one)."""
    name = user.get_full_name() or user.get_username()
    return repository.Person(name, user.email or f"{user.get_username()}@kenesh-desk.invalid")


def publish(user: Any, draft: Draft) -> str:
    """Write the approved revision into the topic file and commit it; the commit id.

    Refused without an approval of the latest revision, and if the file is no longer the one the
    draft started from (someone published in between): the draft would silently undo their change.
    """
    if not user.has_perm(REVIEW):
        raise Refused(_("A lawyer publishes."))
    approved = approval(draft)
    if approved is None:
        raise Refused(_("Only a draft whose latest revision was approved is published."))
    file_text, blob = files.current(draft.topic_id)
    if blob != draft.base_blob:
        last = repository.last_change(f"topics/{draft.topic_id}.yaml") or _("not committed")
        raise Refused(
            _("The topic changed after this draft started (last change: %(last)s). Withdraw it and start again.")
            % {"last": last}
        )
    latest = draft.latest()
    base = files.read_texts(file_text)
    fields = files.changed_fields(base, latest.texts)
    message = _commit_message(draft, latest.number, fields, approved)
    with transaction.atomic():
        _set_status(draft, Draft.Status.PUBLISHED, Draft.Status.IN_REVIEW)  # one publisher wins
        try:
            commit = repository.write_and_commit(
                {f"topics/{draft.topic_id}.yaml": files.draft_yaml(draft.topic_id, file_text, latest.texts)},
                message,
                author=person(draft.author),
                committer=person(user),
            )
        except repository.CommitFailed as failure:
            raise Refused(_("git did not commit, so nothing was published: %(why)s") % {"why": failure}) from None
        _log(user, "knowledge.publish", draft, approved, revision=latest.number, fields=fields, commit=commit)
    return commit


def push(user: Any, topic_id: str, commit: str) -> repository.Pushed | None:
    """Push a publish to the shared knowledge repository, if one is set, and log how it went.

    Outside the publish's transaction: the commit is made and live whatever the remote says."""
    pushed = repository.push()
    if pushed is not None:
        data = {"commit": commit, "remote": pushed.remote, "ok": pushed.ok, "error": pushed.error}
        KnowledgeEvent.objects.create(actor=user, action="knowledge.push", topic_id=topic_id, data=data)
    return pushed


def _commit_message(draft: Draft, number: int, fields: list[str], approved: Review) -> str:
    reviewer = person(approved.reviewer)
    return (
        f"knowledge: {draft.topic_id}: {', '.join(fields) or 'no text changed'}\n\n"
        f"Desk draft {draft.pk}, revision {number}, approved by {reviewer.name}.\n\n"
        f"Reviewed-by: {reviewer.signature}\n"
    )


def confirm_translation(user: Any, relative: str, item: str, lang: str, blob: str) -> str:
    """Record that a translation still says what today's Russian text says (`kb confirm`); the commit id.

    Only the fingerprint line changes, so no text a user reads changes and there is no second review.
    Refused if the file changed since the queue was read (`blob`), and while the topic has an open
    draft: the commit would change the file the draft started from, and the draft could not be published.
    """
    if not may_edit(user):
        raise Refused(_("You may not edit the knowledge."))
    if relative not in translations.translated_files() or lang not in TRANSLATIONS:
        raise Refused(_("There is no such translation."))
    path = files.knowledge_dir() / relative
    data = path.read_bytes()
    if files.blob_id(data) != blob:
        raise Refused(_("The file changed after you opened the queue: look at it again."))
    entry = path.stem if relative != translations.RULES else "risk_rules"
    if relative.startswith("topics/") and open_draft(entry):
        raise Refused(_("The topic has an open draft: confirm the translation after it is published or withdrawn."))
    text, changed = translations.confirmed_text(relative, data.decode("utf-8"), item, lang)
    if not changed:
        raise Refused(_("This translation is already confirmed."))
    what = f"{entry}: {item}" if item else entry
    message = f"knowledge: {what}: {lang} translation confirmed for the current Russian text\n"
    with transaction.atomic():
        try:
            commit = repository.write_and_commit({relative: text}, message, author=person(user), committer=person(user))
        except repository.CommitFailed as failure:
            raise Refused(_("git did not commit, so nothing was confirmed: %(why)s") % {"why": failure}) from None
        data_logged = {"language": lang, "file": relative, "commit": commit} | ({"item": item} if item else {})
        KnowledgeEvent.objects.create(
            actor=user, action="knowledge.translation.confirm", topic_id=entry, data=data_logged
        )
    return commit
