"""The review workflow, and the only writer of drafts: save, roll back, submit, approve, return, withdraw,
publish; and a translator's confirmation that a translation still says what the Russian text says.

Four eyes: a draft goes for review only when `kb lint` finds no error in it; a lawyer who wrote no
revision of it approves or returns it (`can_approve`, which the pages use to show the buttons and
these functions to refuse the POST); an approval names the revision it saw and is refused if the
draft has changed since; publishing writes what the approved revision changes and is refused if
someone changed one of those fields in the files since the draft started. Every step writes a
KnowledgeEvent in the same transaction.

The same workflow serves the drafts of the whole files contacts.yaml and risk_rules.yaml
(entries.py): `save_file` saves their cells, and the few steps that read a draft's files ask
`entries.KINDS` whether the draft is of one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bot.knowledge.parity import SOURCE_LANGUAGE, TRANSLATIONS
from bot.nlu.retrain import is_stale
from desk.knowledge_editor import entries, files, repository, translations
from desk.knowledge_editor import fields as editor_fields
from desk.knowledge_editor.file_forms import Edited
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


def revision_values(revision: DraftRevision, base: editor_fields.Flat) -> editor_fields.Flat:
    """Every field of a revision by path; facts and examples it does not hold (older rows) as in `base`."""
    _texts_, facts, examples = editor_fields.unflatten(base)
    return editor_fields.flatten(revision.texts, revision.facts or facts, revision.examples or examples)


def draft_values(draft: Draft) -> tuple[editor_fields.Flat, editor_fields.Flat]:
    """The fields of the files the draft started from (a draft older than base_files: as they are now),
    and of its latest revision."""
    base = files.values(draft.topic_id, draft.base_files or files.current_files(draft.topic_id))
    return base, revision_values(draft.latest(), base)


def editor_values(topic_id: str, draft: Draft | None) -> editor_fields.Flat:
    """The fields the editor shows: the draft's latest revision, or the files as published."""
    return draft_values(draft)[1] if draft else files.values(topic_id, files.current_files(topic_id))


def changed_labels(base: editor_fields.Flat, values: editor_fields.Flat) -> list[str]:
    """What `values` changes against `base`, as the log and the commit message name it ("ru.short", "sources.1.url")."""
    base_facts, facts = editor_fields.unflatten(base)[1], editor_fields.unflatten(values)[1]
    return editor_fields.labels(editor_fields.changed_paths(base, values), base_facts, facts)


def _renames_sources(base: editor_fields.Flat, values: editor_fields.Flat) -> bool:
    """The risk rules cite sources by id: a draft that removes or renames one needs their checks too."""
    return not set(base["sources"]) <= set(values["sources"])


def _lint(topic_id: str, base: editor_fields.Flat, values: editor_fields.Flat) -> list[files.FieldProblem]:
    try:
        changed = files.draft_files(topic_id, base, values)[0]
    except ValueError as error:  # a hand-edited file the round trip cannot rewrite without changing other lines
        raise Refused(str(error)) from None
    return files.lint_draft(topic_id, changed, rules=_renames_sources(base, values))


def _check_translator(changed: Iterable[str], language: Callable[[str], str], others: str) -> None:
    """Translators change what is in a translation's language (`language` of each changed path or cell);
    the Russian and everything in no language (`others` says what) are the lawyers'."""
    for path in changed:
        if language(path) == SOURCE_LANGUAGE:
            raise Refused(_("Translators change the translations; a lawyer changes the Russian text."))
        if language(path) not in TRANSLATIONS:
            raise Refused(others)


def _topic_path_language(path: str) -> str:
    """ "ky.short" and "examples.ky" are in Kyrgyz; "sources.<id>.url", "risk" in no language."""
    return path.removeprefix("examples.").partition(".")[0]


def save(
    user: Any,
    topic_id: str,
    fields: files.Texts,
    loaded_revision: int,
    facts: editor_fields.Facts | None = None,
    examples: editor_fields.Examples | None = None,
) -> DraftRevision:
    """A new revision of the topic's open draft (started now if there is none).

    `fields` are texts by language; `facts` (None: unchanged) every fact; `examples` the example
    questions of the languages given. `loaded_revision` is the revision the editor was opened on
    (0: the published file); if the draft has moved on since, saving would overwrite someone's
    work, so it is refused. `kb lint` runs before the transaction (it takes a second or two; the
    database stays free meanwhile).
    """
    if not may_edit(user):
        raise Refused(_("You may not edit the knowledge."))
    now = files.current_files(topic_id)
    draft = open_draft(topic_id)
    latest = draft.latest() if draft else None
    base = files.values(topic_id, draft.base_files if draft and draft.base_files else now)
    before = revision_values(latest, base) if latest else base
    before_texts, before_facts, before_examples = editor_fields.unflatten(before)
    texts = _texts(fields, before_texts)
    new_facts = before_facts if facts is None else facts
    values = editor_fields.flatten(texts, new_facts, {**before_examples, **(examples or {})})
    if not user.has_perm(EDIT):
        _check_translator(
            editor_fields.changed_paths(before, values),
            _topic_path_language,
            _("Translators may not change the sources, dates, risk level or related topics."),
        )
    if bad := editor_fields.source_id_problem(new_facts):
        raise Refused(_("Each source needs its own id (small Latin letters, digits and _): %(ids)s") % {"ids": bad})
    return _new_topic_revision(user, topic_id, now, base, values, loaded_revision, "knowledge.draft.save")


def rollback(user: Any, topic_id: str, commit: str) -> DraftRevision:
    """A new draft holding an older version of the topic: its texts and facts as `commit` left the file.
    The example questions stay as they are now (the running model learned them; a change to them is
    a retraining, made on purpose in the editor).

    It is an ordinary draft: linted, sent, approved by another lawyer and published like any other.
    Refused while the topic has an open draft (it would be overwritten: finish or withdraw it first).
    """
    if not user.has_perm(EDIT):
        raise Refused(_("A lawyer starts a draft from an old version."))
    if open_draft(topic_id) is not None:
        raise Refused(_("This topic already has an open draft. Finish it or withdraw it first."))
    relative = files.topic_file(topic_id)
    if not repository.changed(relative, commit):
        raise Refused(_("This version is not in the topic's history."))
    now = files.current_files(topic_id)
    base = files.values(topic_id, now)
    old_texts, old_facts, _examples = editor_fields.unflatten(
        files.values(topic_id, {**now, relative: repository.text_at(commit, relative)})
    )
    values = editor_fields.flatten(old_texts, old_facts, editor_fields.unflatten(base)[2])
    if not editor_fields.changed_paths(base, values):
        raise Refused(_("The texts of this version are the ones published now: a draft would change nothing."))
    return _new_topic_revision(user, topic_id, now, base, values, 0, "knowledge.draft.rollback", commit=commit)


def _new_topic_revision(
    user: Any,
    topic_id: str,
    now: dict[str, str],
    base: editor_fields.Flat,
    values: editor_fields.Flat,
    loaded_revision: int,
    action: str,
    **data: Any,
) -> DraftRevision:
    """Lint `values` and store them as the next revision of the topic's open draft (`_new_revision`).
    `kb lint` runs before the transaction (it takes a second or two; the database stays free meanwhile)."""
    problems = _lint(topic_id, base, values)
    texts, saved_facts, saved_examples = editor_fields.unflatten(values)
    columns = {"texts": texts, "facts": saved_facts, "examples": saved_examples}
    labels = changed_labels(base, values)
    return _new_revision(user, topic_id, now, loaded_revision, problems, columns, labels, action, **data)


def save_file(user: Any, entry: str, posted: Edited, loaded_revision: int) -> DraftRevision:
    """A new revision of the open draft of a whole file ("contacts", "risk_rules"; started now if there is
    none): the cells the draft changed so far with the `posted` ones over them (names the file lacks are
    a KeyError: the form posts only the file's cells). Refused as `save` is; translators change only the
    cells in a translation's language. `kb lint` (for the rules the exhaustive check, seconds) runs on the
    file as publishing would write it, before the transaction."""
    if not may_edit(user):
        raise Refused(_("You may not edit the knowledge."))
    kind = entries.KINDS[entry]
    now = {kind.relative: kind.current()}
    draft = open_draft(entry)
    latest = draft.latest() if draft else None
    base_text = draft.base_files[kind.relative] if draft else now[kind.relative]
    before = (latest.edited if latest else None) or {}
    base = kind.read(base_text)
    edited = kind.changed(base_text, base | before | posted)
    if not user.has_perm(EDIT):
        changed = [name for name in base if (base | before)[name] != (base | edited)[name]]
        _check_translator(
            changed,
            entries.cell_language,
            _("Translators may not change the days of a deadline, nor a contact's details, source or date."),
        )
    problems = kind.lint(kind.merged(base_text, now[kind.relative], edited)[0])
    columns = {"texts": {}, "edited": edited}
    return _new_revision(user, entry, now, loaded_revision, problems, columns, sorted(edited), "knowledge.draft.save")


def main_file(key: str) -> str:
    """The file a draft's conflicts and last change are about: the entry's file, or the topic file."""
    return entries.ENTRY_FILES.get(key) or files.topic_file(key)


def _new_revision(
    user: Any,
    key: str,
    now: dict[str, str],
    loaded_revision: int,
    problems: list[files.FieldProblem],
    columns: dict[str, Any],
    labels: list[str],
    action: str,
    **data: Any,
) -> DraftRevision:
    """Store `columns` (the DraftRevision's texts, facts, examples or edited) as the next revision of the
    open draft of `key` (a topic or an entry; started now from the files as they are, `now`, if there is
    none), with `problems`; logged as `action` with the changed `labels` and `data`."""
    with transaction.atomic():
        draft = open_draft(key)
        latest = draft.latest() if draft else None
        if (latest.number if latest else 0) != loaded_revision:
            raise Refused(_("The draft has a newer revision than the one you opened: saving would overwrite it."))
        if draft is None:
            try:
                with transaction.atomic():
                    draft = Draft.objects.create(
                        topic_id=key,
                        base_blob=files.blob_id(now[main_file(key)].encode("utf-8")),
                        base_files=now,
                        author=user,
                    )
            except IntegrityError:
                raise Refused(_("Someone else started a draft of this topic meanwhile: open it again.")) from None
        elif draft.status == Draft.Status.IN_REVIEW:
            draft.status = Draft.Status.DRAFT  # an edited draft is linted and sent again before anyone approves it
        revision = DraftRevision.objects.create(
            draft=draft,
            number=(latest.number if latest else 0) + 1,
            problems=[vars(problem) for problem in problems],
            author=user,
            **columns,
        )
        draft.save()
        _log(user, action, draft, revision=revision.number, fields=labels, **data)
    return revision


def file_draft(revision: DraftRevision) -> tuple[str, list[str]]:
    """A whole file as a revision of its draft makes it (an open draft: written into the file as it is
    now, as publishing would; a closed one: into the file it started from), and the cells someone
    changed meanwhile."""
    kind = entries.KINDS[revision.draft.topic_id]
    base_text = revision.draft.base_files[kind.relative]
    if not revision.draft.is_open:
        return kind.apply(base_text, revision.edited or {}), []
    return kind.merged(base_text, kind.current(), revision.edited or {})


def _draft_problems(draft: Draft) -> list[files.FieldProblem]:
    """What `kb lint` says now of the draft's files as publishing would write them."""
    if kind := entries.KINDS.get(draft.topic_id):
        return kind.lint(file_draft(draft.latest())[0])
    base, values = draft_values(draft)
    return _lint(draft.topic_id, base, values)


def submit(user: Any, draft: Draft) -> list[files.FieldProblem]:
    """Send the draft for review if `kb lint` finds no error in it now; the problems that stop it."""
    if not may_edit(user):
        raise Refused(_("You may not edit the knowledge."))
    if draft.status not in (Draft.Status.DRAFT, Draft.Status.CHANGES_REQUESTED):
        raise Refused(_("Only a draft that is not under review can be sent for review."))
    latest = draft.latest()
    blocking = [problem for problem in _draft_problems(draft) if problem.blocks]
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


@dataclass(frozen=True)
class Plan:
    """What publishing a draft would do now: the files it writes ({path: text}, only those that change),
    the labels of what it changes, and the fields someone changed differently since it started."""

    changed: dict[str, str]
    labels: list[str]
    clashes: list[str]


def plan(draft: Draft) -> Plan:
    """The draft's latest revision written into the files as they are now (read and merged once: for the
    risk rules that is seconds). A draft older than base_files clashes if the topic file changed at all."""
    if kind := entries.KINDS.get(draft.topic_id):
        text, clashes = file_draft(draft.latest())
        return Plan(
            {kind.relative: text} if text != kind.current() else {}, sorted(draft.latest().edited or {}), clashes
        )
    base, values = draft_values(draft)
    labels = changed_labels(base, values)
    if not draft.base_files and files.current(draft.topic_id)[1] != draft.base_blob:
        return Plan({}, labels, [files.topic_file(draft.topic_id)])
    try:
        changed, clashes = files.draft_files(draft.topic_id, base, values)
    except ValueError:  # the file was edited so that it cannot be rewritten without changing other lines
        return Plan({}, labels, [files.topic_file(draft.topic_id)])
    return Plan(
        changed,
        labels,
        editor_fields.labels(clashes, editor_fields.unflatten(base)[1], editor_fields.unflatten(values)[1]),
    )


def conflicts(draft: Draft) -> list[str]:
    """The fields the draft changes that someone changed differently in the files since it started:
    publishing would undo their change."""
    return plan(draft).clashes


def publish(user: Any, draft: Draft) -> str:
    """Write what the approved revision changes into the files as they are now and commit them together
    (the topic file, and its examples file if the questions changed); the commit id.

    Refused without an approval of the latest revision, and if someone changed a field the draft
    changes since it started (the draft would silently undo their change); a change to other
    fields meanwhile (a translator's `kb confirm`, another lawyer's source) is kept.
    """
    if not user.has_perm(REVIEW):
        raise Refused(_("A lawyer publishes."))
    approved = approval(draft)
    if approved is None:
        raise Refused(_("Only a draft whose latest revision was approved is published."))
    planned = plan(draft)
    if clashes := planned.clashes:
        last = repository.last_change(main_file(draft.topic_id)) or _("not committed")
        raise Refused(
            _(
                "Someone changed %(fields)s after this draft started (last change: %(last)s): publishing would "
                "undo it. Withdraw the draft and start again."
            )
            % {"fields": ", ".join(clashes), "last": last}
        )
    latest = draft.latest()
    changed, labels = planned.changed, planned.labels
    if not changed:
        raise Refused(_("Nothing to publish: the files already say what the draft says."))
    message = _commit_message(draft, latest.number, labels, approved)
    with transaction.atomic():
        _set_status(draft, Draft.Status.PUBLISHED, Draft.Status.IN_REVIEW)  # one publisher wins
        try:
            commit = repository.write_and_commit(changed, message, author=person(draft.author), committer=person(user))
        except repository.CommitFailed as failure:
            raise Refused(_("git did not commit, so nothing was published: %(why)s") % {"why": failure}) from None
        _log(user, "knowledge.publish", draft, approved, revision=latest.number, fields=labels, commit=commit)
    return commit


def push(user: Any, topic_id: str, commit: str) -> repository.Pushed | None:
    """Push a publish to the shared knowledge repository, if one is set, and log how it went.

    Outside the publish's transaction: the commit is made and live whatever the remote says."""
    pushed = repository.push()
    if pushed is not None:
        data = {"commit": commit, "remote": pushed.remote, "ok": pushed.ok, "error": pushed.error}
        KnowledgeEvent.objects.create(actor=user, action="knowledge.push", topic_id=topic_id, data=data)
    return pushed


def _changed_examples(event: KnowledgeEvent) -> bool:
    return any(label.startswith("examples.") for label in event.data.get("fields", []))


def model_outdated(topic_id: str, draft: Draft | None = None) -> bool:
    """A publish (of this draft, or any of the topic) changed example questions, and the live model was
    trained from other questions than the files hold now (bot.nlu.retrain.is_stale)."""
    events = KnowledgeEvent.objects.filter(topic_id=topic_id, action="knowledge.publish")
    if draft is not None:
        events = events.filter(draft=draft)
    return any(_changed_examples(event) for event in events) and is_stale(settings.KENESH)


def _commit_message(draft: Draft, number: int, fields: list[str], approved: Review) -> str:
    reviewer = person(approved.reviewer)
    return (
        f"knowledge: {draft.topic_id}: {', '.join(fields) or 'nothing changed'}\n\n"
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
