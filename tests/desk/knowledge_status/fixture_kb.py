"""A small knowledge base written under tmp_path, whose every state is known on TODAY.

alpha     review_by past (2026-11-30)
beta      Tajik stale (the Russian changed after it was confirmed), Uzbek never confirmed
gamma     a source last checked 2025-05-01 (old)
delta     review_by soon (2026-12-20); shows {contact:hotline}, verified 2026-05-01 (past its 180 days)
omega     nothing to do
greet     a meta answer, confirmed
risk rules: the Kyrgyz text of finding kg_note is stale
Fingerprints are recorded with the project's own functions (bot.knowledge.parity), as `kb confirm` does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.parity import fields_fingerprint, fingerprint
from bot.knowledge.schema import MetaText, TopicText
from bot.language.codes import LANGUAGES
from bot.risk.rules import FindingText, QuestionText

TODAY = dt.date(2026, 12, 6)
FAR = "2027-06-01"


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _confirmed(texts: dict[str, dict], current: str) -> dict[str, dict]:
    """Every translation records `current`, the fingerprint of the Russian text as it is now."""
    return {lang: text if lang == "ru" else {**text, "source_fingerprint": current} for lang, text in texts.items()}


def _topic_texts(topic_id: str, extra: str = "") -> dict[str, dict]:
    return {
        lang: {
            "title": f"{topic_id} {lang} title",
            "short": f"Это короткий ответ про {topic_id}. Он нужен тесту.{extra}",
            "details": f"Подробности про {topic_id} на языке {lang}. Их читает только тест.",
        }
        for lang in LANGUAGES
    }


def topic(topic_id: str, review_by: str = FAR, checked_on: str = "2026-11-20", extra: str = "") -> dict[str, Any]:
    texts = _topic_texts(topic_id, extra)
    return {
        "id": topic_id,
        "risk_level": "medium",
        "as_of": "2026-11-01",
        "review_by": review_by,
        "reviewed_by": "Lawyer Test",
        "sources": [
            {
                "id": "law",
                "kind": "law",
                "title": f"The law behind {topic_id}",
                "issuer": "Parliament",
                "number": "art. 1",
                "url": "https://example.org/law",
                "checked_on": checked_on,
            }
        ],
        "text": _confirmed(texts, fingerprint(TopicText(**texts["ru"]))),
    }


def _examples(entry_id: str) -> dict:
    return {"examples": {lang: [f"{entry_id} вопрос {lang} {n}" for n in range(40)] for lang in LANGUAGES}}


def every(value: Any) -> dict[str, Any]:
    return dict.fromkeys(LANGUAGES, value)


def _rules() -> dict[str, Any]:
    question = {
        lang: {"question": "Какое у вас гражданство?", "options": {"kg": "KG", "other": "Other"}} for lang in LANGUAGES
    }
    findings = []
    for finding_id, answer in (("kg_note", "kg"), ("other_note", "other")):
        texts = {
            lang: {"title": f"Note {answer}", "says": f"Это заметка для ответа {answer}.", "steps": ["Прочитайте."]}
            for lang in LANGUAGES
        }
        findings.append(
            {
                "id": finding_id,
                "jurisdiction": "kg",
                "risk": "note",
                "when": {"citizenship": [answer]},
                "topics": ["omega"],
                "sources": ["omega/law"],
                "text": _confirmed(texts, fields_fingerprint(FindingText(**texts["ru"]))),
            }
        )
    findings[0]["text"]["ru"]["says"] = "Русский текст изменили после перевода."  # ky, uz, tg now stale…
    for lang in ("uz", "tg"):  # …and uz and tg were confirmed again
        findings[0]["text"][lang]["source_fingerprint"] = fields_fingerprint(FindingText(**findings[0]["text"]["ru"]))
    return {
        "as_of": "2026-11-01",
        "review_by": FAR,
        "reviewed_by": "Lawyer Test",
        "jurisdictions": {code: every(code.upper()) for code in ("ru", "kg", "uz", "tj", "ua")},
        "note_label": every("note"),
        "controls": {control: every({"label": control}) for control in ("back", "change", "stop", "restart")},
        "questions": [
            {
                "id": "citizenship",
                "kind": "choice",
                "options": ["kg", "other"],
                "text": _confirmed(question, fields_fingerprint(QuestionText(**question["ru"]))),
            }
        ],
        "findings": findings,
    }


def write_knowledge_base(root: Path) -> Path:
    """The knowledge base described above, under `root`; returns `root`."""
    topics = {
        "alpha": topic("alpha", review_by="2026-11-30"),
        "beta": topic("beta"),
        "gamma": topic("gamma", checked_on="2025-05-01"),
        "delta": topic("delta", review_by="2026-12-20", extra=" Звоните: {contact:hotline}."),
        "omega": topic("omega"),
    }
    beta = topics["beta"]["text"]
    beta["ru"]["short"] = "Русский короткий ответ изменили. Перевод ещё старый."
    beta["ky"]["source_fingerprint"] = fingerprint(TopicText(**beta["ru"]))  # Kyrgyz checked again
    del beta["uz"]["source_fingerprint"]
    for topic_id, data in topics.items():
        _write(root / "topics" / f"{topic_id}.yaml", data)
        _write(root / "examples" / "topics" / f"{topic_id}.yaml", _examples(topic_id))
    greet = {lang: {"title": "Привет", "short": "Здравствуйте! Спросите меня."} for lang in LANGUAGES}
    _write(
        root / "meta" / "greet.yaml", {"id": "greet", "text": _confirmed(greet, fingerprint(MetaText(**greet["ru"])))}
    )
    _write(root / "examples" / "meta" / "greet.yaml", _examples("greet"))
    organisation = every("A hotline")
    _write(
        root / "contacts.yaml",
        {
            "max_age_days": 180,
            "contacts": [
                {
                    "id": "hotline",
                    "kind": "website",
                    "value": "hotline.example.org",
                    "organisation": organisation,
                    "source": "https://example.org/contacts",
                    "last_verified_on": "2026-05-01",
                },
                {
                    "id": "site",
                    "kind": "website",
                    "value": "site.example.org",
                    "organisation": organisation,
                    "source": "https://example.org/site",
                    "last_verified_on": "2026-11-01",
                },
            ],
        },
    )
    _write(root / "risk_rules.yaml", _rules())
    return root
