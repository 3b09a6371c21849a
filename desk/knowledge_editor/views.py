"""The topic editor, the editors of the contacts and the risk rules (whole files: entries.py), the review page
and a topic's history: lawyers (knowledge_editor.edit_topic, .review_draft) and translators (.translate_topic:
the translations only; they neither review nor publish).

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
from bot.language.codes import LANGUAGES, NATIVE_NAMES
from desk.knowledge_editor import entries, facts_form, file_forms, files, history, repository, rules_file, services
from desk.knowledge_editor import fields as editor_fields
from desk.knowledge_editor.diff import word_diff
from desk.knowledge_editor.entries import RISK_RULES
from desk.knowledge_editor.models import Draft, DraftRevision, Review
from desk.knowledge_editor.services import EDIT, REVIEW, Refused

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "short": gettext_lazy("Short answer"),
    "details": gettext_lazy("Details"),
}
ENTRY_TITLES = {"contacts": gettext_lazy("Contacts"), RISK_RULES: gettext_lazy("Risk rules")}
ENTRY_URLS = {  # the editor and its "Send for review" of each whole file
    "contacts": ("knowledge-edit-contacts", "knowledge-submit-contacts"),
    RISK_RULES: ("knowledge-edit-rules", "knowledge-submit-rules"),
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
    whole_files = [(editor_url(entry), title, drafts.get(entry)) for entry, title in ENTRY_TITLES.items()]
    return render(request, "knowledge_editor/index.html", {"rows": rows, "whole_files": whole_files})


def editor_url(key: str) -> str:
    """The editor of a topic or of a whole file ("contacts", "risk_rules")."""
    return reverse(ENTRY_URLS[key][0]) if key in ENTRY_URLS else reverse("knowledge-edit", args=[key])


def _language(request: HttpRequest) -> str:
    lang = request.POST.get("lang") or request.GET.get("lang") or TRANSLATIONS[0]
    return lang if lang in TRANSLATIONS else TRANSLATIONS[0]


@never_cache
@require_http_methods(["GET", "POST"])
@editor_required
def edit(request: HttpRequest, topic_id: str) -> HttpResponse:
    """The Russian texts beside one translation, field by field; saving makes a new revision. A refused
    save shows the page again with what was typed (409), not a redirect that loses it."""
    file_text = _topic(topic_id)[0]
    lang = _language(request)
    typed: files.Texts = {}
    typed_facts, typed_examples = None, {}
    if request.method == "POST":
        typed = {
            language: {
                field: request.POST[f"{language}-{field}"]
                for field in files.FIELDS
                if f"{language}-{field}" in request.POST
            }
            for language in (SOURCE_LANGUAGE, lang)
        }
        typed_facts = facts_form.posted_facts(request.POST)
        typed_examples = facts_form.posted_examples(request.POST, (SOURCE_LANGUAGE, lang))
        try:
            revision = services.save(
                request.user,
                topic_id,
                typed,
                _int(request.POST.get("revision")),
                facts=typed_facts,
                examples=typed_examples,
            )
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Saved as revision %(number)s.") % {"number": revision.number})
            return redirect(f"{reverse('knowledge-edit', args=[topic_id])}?lang={lang}")
    draft = services.open_draft(topic_id)
    latest = draft.latest() if draft else None
    published = files.read_texts(file_text)
    saved = latest.texts if latest else published
    texts = {language: {**fields, **typed.get(language, {})} for language, fields in saved.items()}
    _texts_, facts, examples = editor_fields.unflatten(services.editor_values(topic_id, draft))
    facts, examples = typed_facts or facts, {**examples, **typed_examples}
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
        "loaded": request.POST.get("revision") if typed else (latest.number if latest else 0),
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
        **_draft_state(draft),
    }
    return render(request, "knowledge_editor/edit.html", context, status=409 if request.method == "POST" else 200)


def _draft_state(draft: Draft | None) -> dict[str, Any]:
    """What an editor says of its open draft: whether it can be sent, the return it answers."""
    return {
        "may_submit": draft is not None and draft.status in (Draft.Status.DRAFT, Draft.Status.CHANGES_REQUESTED),
        "returned": draft.reviews.filter(decision=Review.Decision.RETURN).last() if draft else None,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@editor_required
def edit_file(request: HttpRequest, entry: str) -> HttpResponse:
    """The contacts or the risk rules: each cell in Russian beside one translation; saving makes a new
    revision. A refused save shows the page again with what was typed (409), not a redirect that loses it."""
    kind = entries.KINDS[entry]
    lang = _language(request)
    draft = services.open_draft(entry)
    latest = draft.latest() if draft else None
    base_text = draft.base_files[kind.relative] if draft else kind.current()
    edited = (latest.edited if latest else None) or {}
    loaded = latest.number if latest else 0
    if request.method == "POST":
        posted = file_forms.parse(request.POST, kind.read(base_text))
        loaded = _int(request.POST.get("revision"))
        try:
            revision = services.save_file(request.user, entry, posted, loaded)
        except Refused as refusal:
            messages.error(request, str(refusal))
            edited = {**edited, **posted}
        else:
            messages.success(request, _("Saved as revision %(number)s.") % {"number": revision.number})
            return redirect(f"{editor_url(entry)}?lang={lang}")
    problems = [files.FieldProblem(**problem) for problem in latest.problems] if latest else []
    context = {
        "entry": entry,
        "title": ENTRY_TITLES[entry],
        "draft": draft,
        "revision": latest,
        "loaded": loaded,
        "lang": lang,
        "languages": [(code, NATIVE_NAMES[code]) for code in TRANSLATIONS],
        "russian_name": NATIVE_NAMES[SOURCE_LANGUAGE],
        "translation_name": NATIVE_NAMES[lang],
        "file_problems": [p for p in problems if not p.field],
        "errors": sum(1 for p in problems if p.blocks),
        "file_changed": draft is not None and bool(services.conflicts(draft)),
        "form_template": kind.template,
        "submit_url": reverse(ENTRY_URLS[entry][1]),
        "diagram_url": _diagram_url(latest) if entry == RISK_RULES else "",
        **kind.form_context(base_text, edited, problems, lang),
        **_draft_state(draft),
    }
    return render(request, "knowledge_editor/edit_file.html", context, status=409 if request.method == "POST" else 200)


def _diagram_url(revision: DraftRevision | None) -> str:
    """The rules' diagram as a revision of a draft has them (None: as published)."""
    url = reverse("knowledge-rules-diagram")
    return f"{url}?revision={revision.pk}" if revision else url


@never_cache
@require_GET
@editor_required
def rules_diagram(request: HttpRequest) -> HttpResponse:
    """The risk rules' diagram as SVG: of a draft's revision (?revision=<its id>) or of the published file.
    An image of its own, never inline in a page; its CSP lets nothing in it run or load."""
    kind = entries.KINDS[RISK_RULES]
    if "revision" in request.GET:
        revision = get_object_or_404(DraftRevision, pk=_int(request.GET["revision"]), draft__topic_id=RISK_RULES)
        text = services.file_draft(revision)[0]
    else:
        text = kind.current()
    lang = request.GET.get("lang", SOURCE_LANGUAGE)
    try:
        svg = rules_file.diagram_svg(text, lang if lang in LANGUAGES else SOURCE_LANGUAGE)
    except ValueError:
        message = _("These rules cannot be drawn: kb lint says what is wrong in the editor.")
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


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
        return redirect(editor_url(topic_id))
    if blocking:
        messages.error(
            request, _("Not sent: kb lint found %(count)s error(s). Fix them first.") % {"count": len(blocking)}
        )
        return redirect(editor_url(topic_id))
    messages.success(request, _("Sent for review. Another lawyer must approve it."))
    return redirect("knowledge-draft", draft.pk)


@never_cache
@require_GET
@editor_required
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What the draft changes, field by field (cell by cell), and the review: approve, return, publish."""
    draft = _draft(pk)
    latest = draft.latest()
    conflicts = services.conflicts(draft) if draft.is_open else []
    is_file = draft.topic_id in entries.KINDS
    changes, stale_languages = _file_changes(latest) if is_file else _topic_changes(draft, latest)
    context = {
        "draft": draft,
        "revision": latest,
        "changes": changes,
        "editor_url": editor_url(draft.topic_id),
        "history_url": "" if is_file else reverse("knowledge-history", args=[draft.topic_id]),
        "diagram_url": _diagram_url(latest) if draft.topic_id == RISK_RULES else "",
        "reviews": draft.reviews.select_related("reviewer"),
        "may_review": draft.status == Draft.Status.IN_REVIEW and services.can_approve(request.user, draft),
        "approval": services.approval(draft),
        "may_publish": request.user.has_perm(REVIEW),
        "may_withdraw": request.user.has_perm(EDIT) or draft.author_id == request.user.pk,
        "file_changed": bool(conflicts),
        "conflicts": conflicts,
        "last_change": repository.last_change(services.main_file(draft.topic_id)) if conflicts else "",
        "model_outdated": draft.status == Draft.Status.PUBLISHED and services.model_outdated(draft.topic_id, draft),
        "retrain_url": _retrain_url(),
        "stale_languages": stale_languages,
    }
    return render(request, "knowledge_editor/draft.html", context)


def _topic_changes(draft: Draft, latest: DraftRevision) -> tuple[list[tuple[str, SafeString]], list[str]]:
    """An open topic draft's changes (word diffs) and the translations it makes stale, by their names."""
    if not draft.is_open:
        return [], []
    base, values = services.draft_values(draft)
    started = editor_fields.unflatten(base)[0]
    stale = files.stale_languages(latest.texts, files.current(draft.topic_id)[0])
    return text_diffs(started, latest.texts) + facts_form.fact_changes(base, values), [NATIVE_NAMES[s] for s in stale]


def _file_changes(revision: DraftRevision) -> tuple[list[tuple[str, SafeString]], list[str]]:
    """(cell name, word diff of the file's value to the draft's) for each cell a whole file's draft changes;
    and the translations it makes stale (the risk rules' translations record the Russian they were made from)."""
    kind = entries.KINDS[revision.draft.topic_id]
    base_text = revision.draft.base_files[kind.relative]
    started, edited = kind.read(base_text), revision.edited or {}
    diffs = [(name, word_diff(started.get(name, ""), edited[name])) for name in sorted(edited)]
    russian = kind.entry == RISK_RULES and rules_file.russian_changes(base_text, edited)
    return diffs, [NATIVE_NAMES[lang] for lang in TRANSLATIONS] if russian and revision.draft.is_open else []


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
