"""What a person typed or pressed during the risk check → an answer, a control, or nothing understood.

Buttons send payloads (`/risk_check{"risk_input": "answer:kg"}`); typed text is matched against
the option labels and aliases of every language (people mix languages), a typed number against
an option's range, and a date with dateparser. dateparser has no Tajik, so Tajik month names
and "today/yesterday" are put into Russian first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.language.normalize import normalize
from bot.risk.rules import Control, Question, QuestionKind, RiskRules

PAYLOAD_INTENT = "risk_check"
PAYLOAD_ENTITY = "risk_input"
_PAYLOAD = re.compile(r"^/" + PAYLOAD_INTENT + r"(\{.*\})?$", re.S)
_NUMBER = re.compile(r"^\D*(\d{1,3})\D*$")
_DATE_LANGUAGES = {"ky": ["ky", "ru"], "ru": ["ru"], "uz": ["uz", "uz-Cyrl", "ru"], "tg": ["ru"]}
_TAJIK_TO_RUSSIAN = {
    "имрӯз": "сегодня",
    "имруз": "сегодня",
    "дирӯз": "вчера",
    "дируз": "вчера",
    "пагоҳ": "завтра",
    "пагох": "завтра",
    "январ": "января",
    "феврал": "февраля",
    "март": "марта",
    "апрел": "апреля",
    "май": "мая",
    "июн": "июня",
    "июл": "июля",
    "август": "августа",
    "сентябр": "сентября",
    "октябр": "октября",
    "ноябр": "ноября",
    "декабр": "декабря",
    "рӯз пеш": "дней назад",
    "руз пеш": "дней назад",
}


@dataclass(frozen=True)
class Input:
    """One message during the interview: an answer value, a control, a question to change, or nothing."""

    kind: str  # "answer", "control", "edit" or "unknown"
    value: str | None = None


def payload(kind: str, value: str = "") -> str:
    """The button payload for an answer, a control or an earlier question to change."""
    return f"/{PAYLOAD_INTENT}" + json.dumps({PAYLOAD_ENTITY: f"{kind}:{value}" if value else kind})


def every_payload(rules: RiskRules) -> set[str]:
    """Every payload the check's buttons can carry: an option of a question, a question to change, a control."""
    answers = {payload("answer", option) for question in rules.questions for option in question.options}
    edits = {payload("edit", question.id) for question in rules.questions}
    return answers | edits | {payload(control.value) for control in Control}


def _from_payload(text: str) -> Input | None:
    match = _PAYLOAD.match(text.strip())
    if not match:
        return None
    try:
        data = json.loads(match.group(1) or "{}")
    except ValueError:
        return Input("unknown")
    kind, _, value = str(data.get(PAYLOAD_ENTITY, "")).partition(":")
    if kind in ("answer", "edit") and value:
        return Input(kind, value)
    if kind in {c.value for c in Control}:
        return Input("control", kind)
    return Input("unknown")


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", normalize(text)))


def _match_length(typed: str, phrases: Iterable[str]) -> int:
    """How many letters of the longest phrase found in the typed words (0: none).

    A phrase matches as whole words; a one-word phrase of four letters or more also matches the
    start of a word, so "узбекистана" finds "узбек".
    """
    padded, words, best = f" {typed} ", typed.split(), 0
    for phrase in map(_words, phrases):
        if phrase and (
            f" {phrase} " in padded
            or (" " not in phrase and len(phrase) >= 4 and any(word.startswith(phrase) for word in words))
        ):
            best = max(best, len(phrase))
    return best


def _best(lengths: dict[str, int]) -> str | None:
    """The one option (or control) with the longest match; None when none matched or two tie."""
    top = max(lengths.values(), default=0)
    winners = [name for name, length in lengths.items() if length == top]
    return winners[0] if top and len(winners) == 1 else None


def _control(rules: RiskRules, typed: str) -> str | None:
    return _best(
        {
            control.value: _match_length(typed, [w for text in texts.values() for w in (text.label, *text.aliases)])
            for control, texts in rules.controls.items()
        }
    )


def _choice(question: Question, typed: str) -> str | None:
    phrases: dict[str, list] = {option: [] for option in question.options}
    for text in question.text.values():
        for option, label in text.options.items():
            phrases[option].append(label)
        for option, aliases in text.aliases.items():
            phrases[option].extend(aliases)
    exact = [o for o, words in phrases.items() if any(typed == _words(w) for w in words)]
    if len(exact) == 1:
        return exact[0]
    found = _best({option: _match_length(typed, words) for option, words in phrases.items()})
    if found is not None:
        return found
    number = _NUMBER.match(typed)
    if number and question.ranges:
        value = int(number.group(1))
        in_range = [o for o, (low, high) in question.ranges.items() if low <= value <= high]
        return in_range[0] if len(in_range) == 1 else None
    return None


def parse_date(text: str, language: str, today: dt.date) -> dt.date | None:
    """A day from "20.11.2026", "2026-11-20", "20 ноября", "вчера", "кечээ", "дирӯз"…"""
    import dateparser

    cleaned = text.strip().lower()
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    if language == "tg":
        for tajik, russian in _TAJIK_TO_RUSSIAN.items():
            cleaned = cleaned.replace(tajik, russian)
    settings = {
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day"],
    }
    parsed = dateparser.parse(cleaned, languages=_DATE_LANGUAGES.get(language, ["ru"]), settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    return day if abs((day - today).days) <= 3650 else None


def read_input(rules: RiskRules, question: Question | None, text: str, language: str, today: dt.date) -> Input:
    """Understand one message sent while `question` is being asked."""
    from_payload = _from_payload(text)
    if from_payload is not None:
        return from_payload
    typed = _words(text)
    if not typed:
        return Input("unknown")
    if question is not None:
        answer = _choice(question, typed) if question.options else None
        if answer is None and question.kind is QuestionKind.date:
            day = parse_date(text, language, today)
            answer = day.isoformat() if day else None
        if answer is not None:
            return Input("answer", answer)
    control = _control(rules, typed)
    return Input("control", control) if control else Input("unknown")
