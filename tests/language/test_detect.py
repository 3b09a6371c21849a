"""bot/language/detect.py and identifier.py: language and script of short, mixed messages."""

from collections import Counter
from pathlib import Path

import pytest

from bot.errors import ModelError
from bot.knowledge.loader import load_knowledge
from bot.knowledge.nlu_export import examples
from bot.language import detect as detect_module
from bot.language.codes import LANGUAGES
from bot.language.detect import detect
from bot.language.identifier import LanguageIdentifier
from bot.settings import REPO_ROOT

# Floor per language on held-out questions (measured figures: docs/measurements.md).
MIN_DETECTION_ACCURACY = 0.93

CASES = [
    ("что будет если не пойти по повестке", "ru"),
    ("повестка келди эмне кылам", "ky"),
    ("povestka keldi emne kylam", "ky"),
    ("менга чақирув қоғози келди нима қиламан", "uz"),
    ("menga chaqiruv qog'ozi keldi nima qilaman", "uz"),
    ("ба ман даъватнома омад чӣ кунам", "tg"),
    ("ба ман повестка омад чи кунам", "tg"),
    ("what happens if I do not go", "en"),
]


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    """Trained the way `make train` trains it: on the knowledge base's training questions."""
    kb = load_knowledge(REPO_ROOT / "knowledge")
    return LanguageIdentifier.train((e.text, e.language) for e in examples(kb, held_out=False))


@pytest.fixture
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No trained language model in this process."""
    monkeypatch.setattr(detect_module, "default_identifier", lambda: None)


@pytest.mark.parametrize("text, language", CASES)
def test_known_messages(identifier: LanguageIdentifier, text: str, language: str) -> None:
    assert detect(text, identifier).language == language


@pytest.mark.parametrize("text, language", CASES)
def test_rules_alone_still_know_clear_messages(rules_only: None, text: str, language: str) -> None:
    assert detect(text).language == language


def test_uzbek_cyrillic_is_served_in_cyrillic(identifier: LanguageIdentifier) -> None:
    assert detect("нима қилишим керак", identifier).serve_script == "uz_Cyrl"
    assert detect("nima qilishim kerak", identifier).serve_script == "uz"


def test_no_letters_falls_back_to_russian_with_zero_confidence(identifier: LanguageIdentifier) -> None:
    for text in ("🙂🙂", "12345", "?!"):
        result = detect(text, identifier)
        assert (result.language, result.confidence) == ("ru", 0.0), text


def test_accuracy_on_held_out_knowledge_base_questions(identifier: LanguageIdentifier) -> None:
    """Held-out topic questions: the model never saw them."""
    kb = load_knowledge(REPO_ROOT / "knowledge")
    right, total = Counter(), Counter()
    for example in examples(kb, held_out=True):
        if example.variant == "as written" and example.intent in kb.topics:
            total[example.language] += 1
            right[example.language] += detect(example.text, identifier).language == example.language
    accuracy = {lang: right[lang] / total[lang] for lang in LANGUAGES}
    print("language detection accuracy, held-out topic questions:", {k: f"{v:.1%}" for k, v in accuracy.items()})
    assert all(value >= MIN_DETECTION_ACCURACY for value in accuracy.values()), accuracy


def test_a_saved_model_answers_like_the_trained_one(identifier: LanguageIdentifier, tmp_path: Path) -> None:
    path = tmp_path / "language.skops"
    identifier.save(path)
    loaded = LanguageIdentifier.load(path)
    for text, _ in CASES:
        assert loaded.identify(text) == identifier.identify(text)


def test_a_missing_or_broken_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        LanguageIdentifier.load(tmp_path / "missing.skops")
    broken = tmp_path / "broken.skops"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        LanguageIdentifier.load(broken)


def test_telegram_language_codes_map_to_scripts() -> None:
    from bot.language.codes import from_telegram_code

    assert [from_telegram_code(c) for c in ("ky", "ru-RU", "uz_UZ", "tg", "en", "", None)] == \
        ["ky", "ru", "uz", "tg", None, None, None]
