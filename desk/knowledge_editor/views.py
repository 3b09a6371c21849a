"""The topic editor, the review page and a topic's history: lawyers (knowledge_editor.edit_topic, .review_draft) and
translators (.translate_topic: the translations only; they neither review nor publish).

Views parse the request, call `services` (the only writer of drafts) and render. The Approve and
Return forms are shown only when services.can_approve says so, and services refuse the POST
otherwise (403): hiding a button is not a guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bot.knowledge.parity import SOURCE_LANGUAGE, TRANSLATIONS
from bot.language.codes import NATIVE_NAMES
from desk.knowledge_editor import facts_form, files, history, repository, services
from desk.knowledge_editor import fields as editor_fields
from desk.knowledge_editor.diff import word_diff
from desk.knowledge_editor.models import Draft, Review
from desk.knowledge_editor.services import EDIT, REVIEW, Refused

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "short": gettext_lazy("Short answer"),
    "details": gettext_lazy("Details"),
}


@dataclass(frozen=True)
class Cell:
    lang: str
    field: str
    value: str
    problems: tuple[files.FieldProblem, ...]
    stale: bool  # the Russian field changed in the draft: this translation needs a translator
    readonly: bool  # a translator's view of the Russian text

    @property
    def name(self) -> str:
        return f"{self.lang}-{self.field}"


def editor_required(view: Callable) -> Callable:
    """Lawyers and translators; 403 for everyone else."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.may_edit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _topic(topic_id: str) -> tuple[str, str]:
    try:
        return files.current(topic_id)
    except files.UnknownTopic:
        raise Http404 from None


def _draft(pk: int) -> Draft:
    return get_object_or_404(Draft, pk=pk)


@never_cache
@require_GET
@editor_required
def index(request: HttpRequest) -> HttpResponse:
    """Every topic, with its open draft if it has one."""
    drafts = {draft.topic_id: draft for draft in Draft.objects.filter(status__in=Draft.OPEN).select_related("author")}
    rows = []
    for topic_id in files.topic_ids():
        texts = files.read_texts(files.current(topic_id)[0])
        rows.append((topic_id, texts[SOURCE_LANGUAGE]["title"], drafts.get(topic_id)))
    return render(request, "knowledge_editor/index.html", {"rows": rows})


def _language(request: HttpRequest) -> str:
    lang = request.POST.get("lang") or request.GET.get("lang") or TRANSLATIONS[0]
    return lang if lang in TRANSLATIONS else TRANSLATIONS[0]


@never_cache
@require_http_methods(["GET", "POST"])
@editor_required
def edit(request: HttpRequest, topic_id: str) -> HttpResponse:
    """The Russian texts beside one translation, field by field; saving makes a new revision."""
    file_text = _topic(topic_id)[0]
    lang = _language(request)
    if request.method == "POST":
        fields = {
            language: {
                field: request.POST[f"{language}-{field}"]
                for field in files.FIELDS
                if f"{language}-{field}" in request.POST
            }
            for language in (SOURCE_LANGUAGE, lang)
        }
        try:
            revision = services.save(
                request.user,
                topic_id,
                fields,
                _int(request.POST.get("revision")),
                facts=facts_form.posted_facts(request.POST),
                examples=facts_form.posted_examples(request.POST, (SOURCE_LANGUAGE, lang)),
            )
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Saved as revision %(number)s.") % {"number": revision.number})
        return redirect(f"{reverse('knowledge-edit', args=[topic_id])}?lang={lang}")
    draft = services.open_draft(topic_id)
    latest = draft.latest() if draft else None
    published = files.read_texts(file_text)
    texts = latest.texts if latest else published
    _texts_, facts, examples = editor_fields.unflatten(services.editor_values(topic_id, draft))
    may_edit_facts = request.user.has_perm(EDIT)
    problems = [files.FieldProblem(**problem) for problem in latest.problems] if latest else []
    russian_changed = {f for f in files.FIELDS if texts[SOURCE_LANGUAGE][f] != published[SOURCE_LANGUAGE][f]}
    rows = [
        (
            FIELD_LABELS[field],
            [
                Cell(
                    language,
                    field,
                    texts[language][field],
                    tuple(p for p in problems if p.field == f"{language}.{field}"),
                    stale=language != SOURCE_LANGUAGE and field in russian_changed,
                    readonly=language == SOURCE_LANGUAGE and not request.user.has_perm(EDIT),
                )
                for language in (SOURCE_LANGUAGE, lang)
            ],
        )
        for field in files.FIELDS
    ]
    context = {
        "topic_id": topic_id,
        "draft": draft,
        "revision": latest,
        "rows": rows,
        "lang": lang,
        "languages": [(code, NATIVE_NAMES[code]) for code in TRANSLATIONS],
        "title": published[SOURCE_LANGUAGE]["title"],
        "russian_name": NATIVE_NAMES[SOURCE_LANGUAGE],
        "translation_name": NATIVE_NAMES[lang],
        "topic_problems": [p for p in problems if not p.field],
        "stale_languages": files.stale_languages(texts, file_text) if latest else [],
        "errors": sum(1 for p in problems if p.blocks),
        "file_changed": draft is not None and bool(services.conflicts(draft)),
        "fact_inputs": facts_form.fact_inputs(facts, problems),
        "sources": facts_form.source_rows(facts, problems),
        "related": facts_form.related_choices(facts, files.topic_ids(), topic_id),
        "related_problems": [p for p in problems if p.field == "related"],
        "examples": [
            (facts_form.example_input(examples, problems, language, NATIVE_NAMES[language]), readonly)
            for language, readonly in ((SOURCE_LANGUAGE, not may_edit_facts), (lang, False))
        ],
        "may_edit_facts": may_edit_facts,
        "model_outdated": services.model_outdated(topic_id),
        "retrain_url": _retrain_url(),
        "may_submit": draft is not None and draft.status in (Draft.Status.DRAFT, Draft.Status.CHANGES_REQUESTED),
        "returned": draft.reviews.filter(decision=Review.Decision.RETURN).last() if draft else None,
    }
    return render(request, "knowledge_editor/edit.html", context)


def _retrain_url() -> str:
    """The page that retrains the model, if the desk has one."""
    try:
        return reverse("knowledge-retrain")
    except NoReverseMatch:
        return ""


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1  # matches no revision: the save is refused as stale


@require_POST
@editor_required
def submit(request: HttpRequest, topic_id: str) -> HttpResponse:
    draft = services.open_draft(topic_id)
    if draft is None:
        raise Http404
    try:
        blocking = services.submit(request.user, draft)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("knowledge-edit", topic_id)
    if blocking:
        messages.error(
            request, _("Not sent: kb lint found %(count)s error(s). Fix them first.") % {"count": len(blocking)}
        )
        return redirect("knowledge-edit", topic_id)
    messages.success(request, _("Sent for review. Another lawyer must approve it."))
    return redirect("knowledge-draft", draft.pk)


@never_cache
@require_GET
@editor_required
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What the draft changes, field by field, and the review: approve, return, publish."""
    draft = _draft(pk)
    latest = draft.latest()
    file_text = files.current(draft.topic_id)[0]
    conflicts = services.conflicts(draft) if draft.is_open else []
    changes = []
    if draft.is_open:
        base, values = services.draft_values(draft)
        started = editor_fields.unflatten(base)[0]
        changes = text_diffs(started, latest.texts) + facts_form.fact_changes(base, values)
    context = {
        "draft": draft,
        "revision": latest,
        "changes": changes,
        "reviews": draft.reviews.select_related("reviewer"),
        "may_review": draft.status == Draft.Status.IN_REVIEW and services.can_approve(request.user, draft),
        "approval": services.approval(draft),
        "may_publish": request.user.has_perm(REVIEW),
        "may_withdraw": request.user.has_perm(EDIT) or draft.author_id == request.user.pk,
        "file_changed": bool(conflicts),
        "conflicts": conflicts,
        "last_change": repository.last_change(files.topic_file(draft.topic_id)) if conflicts else "",
        "model_outdated": draft.status == Draft.Status.PUBLISHED and services.model_outdated(draft.topic_id, draft),
        "retrain_url": _retrain_url(),
        "stale_languages": [NATIVE_NAMES[lang] for lang in files.stale_languages(latest.texts, file_text)]
        if draft.is_open
        else [],
    }
    return render(request, "knowledge_editor/draft.html", context)


def text_diffs(old: files.Texts, new: files.Texts) -> list[tuple[str, SafeString]]:
    """("Кыргызча: Short answer", word diff) for each field of each language that `new` changes."""
    return [
        (f"{NATIVE_NAMES[lang]}: {FIELD_LABELS[field]}", word_diff(old[lang][field], value))
        for lang, fields in files.changes(old, new).items()
        for field, value in fields.items()
    ]


@require_POST
@permission_required(REVIEW, raise_exception=True)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    if not services.can_approve(request.user, draft):
        raise PermissionDenied
    try:
        services.review(
            request.user,
            draft,
            _int(request.POST.get("revision")),
            request.POST.get("decision", ""),
            request.POST.get("comment", ""),
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your review is recorded."))
    return redirect("knowledge-draft", draft.pk)


@require_POST
@permission_required(REVIEW, raise_exception=True)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    try:
        commit = services.publish(request.user, draft)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Published as commit %(commit)s.") % {"commit": commit[:10]})
        report_push(request, services.push(request.user, draft.topic_id, commit))
    return redirect("knowledge-draft", draft.pk)


def report_push(request: HttpRequest, pushed: repository.Pushed | None) -> None:
    if pushed is not None and not pushed.ok:
        messages.warning(
            request,
            _("Published here, but not sent to %(remote)s: %(why)s. The next publish that reaches it sends it too.")
            % {"remote": pushed.remote, "why": pushed.error},
        )


@require_POST
@editor_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    try:
        services.withdraw(request.user, draft)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The draft is withdrawn."))
    return redirect("knowledge-drafts")


@never_cache
@require_GET
@editor_required
def topic_history(request: HttpRequest, topic_id: str) -> HttpResponse:
    """Each version of the topic, newest first, with what it changed; lawyers start a draft from an older one."""
    file_text = _topic(topic_id)[0]
    skip = max(_int(request.GET.get("skip")), 0)
    versions, older = history.versions(topic_id, skip)
    may_roll_back = request.user.has_perm(EDIT)
    draft = services.open_draft(topic_id)
    rows = [
        (
            version,
            text_diffs(version.before, version.texts) if version.before is not None else [],
            may_roll_back and draft is None and (skip or index) > 0,  # the newest version is the published one
        )
        for index, version in enumerate(versions)
    ]
    context = {
        "topic_id": topic_id,
        "title": files.read_texts(file_text)[SOURCE_LANGUAGE]["title"],
        "rows": rows,
        "draft": draft,
        "may_roll_back": may_roll_back,
        "older": skip + history.PAGE if older else None,
        "newer": max(skip - history.PAGE, 0) if skip else None,
    }
    return render(request, "knowledge_editor/history.html", context)


@require_POST
@permission_required(EDIT, raise_exception=True)
def rollback(request: HttpRequest, topic_id: str) -> HttpResponse:
    """A new draft with the texts of an older version; it is reviewed and published like any other."""
    _topic(topic_id)
    commit = request.POST.get("commit", "")
    try:
        services.rollback(request.user, topic_id, commit)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("knowledge-history", topic_id)
    messages.success(
        request,
        _("A draft starts from version %(commit)s. Check it, then send it for review.") % {"commit": commit[:10]},
    )
    return redirect("knowledge-edit", topic_id)
