"""bot/language/detect.py and identifier.py: language and script of short, mixed messages."""

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import ModelError
from bot.knowledge.loader import load_knowledge
from bot.language.codes import LANGUAGES
from bot.language.detect import detect
from bot.language.identifier import LanguageIdentifier
from bot.nlu.dataset import examples
from bot.nlu.training import train_language_identifier
from bot.settings import REPO_ROOT, Settings

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
    """The model `make train` builds, learned from a sample: seconds instead of a minute.

    Every fifth question of every entry and language, in file order. The model trained on all the
    training questions is held to its accuracy floor by the `slow` test below.
    """
    kb = load_knowledge(REPO_ROOT / "knowledge")
    return LanguageIdentifier.train(
        (text, language)
        for by_language in kb.examples.values()
        for language, questions in by_language.items()
        for text in questions[::5]
    )


@pytest.fixture(scope="module")
def full_identifier(tmp_path_factory: pytest.TempPathFactory) -> LanguageIdentifier:
    """Trained and saved exactly as `make train` does: on every training question (about a minute)."""
    settings = replace(Settings(), model_path=tmp_path_factory.mktemp("models") / "kenesh.tar.gz")
    train_language_identifier(settings)
    return LanguageIdentifier.load(settings.language_model_path)


@pytest.mark.parametrize("text, language", CASES)
def test_known_messages(identifier: LanguageIdentifier, text: str, language: str) -> None:
    assert detect(text, identifier).language == language


@pytest.mark.parametrize("text, language", CASES)
def test_rules_alone_still_know_clear_messages(text: str, language: str) -> None:
    assert detect(text).language == language  # no identifier: the rules only


def test_uzbek_cyrillic_is_served_in_cyrillic(identifier: LanguageIdentifier) -> None:
    assert detect("нима қилишим керак", identifier).serve_script == "uz_Cyrl"
    assert detect("nima qilishim kerak", identifier).serve_script == "uz"


def test_no_letters_falls_back_to_russian_with_zero_confidence(identifier: LanguageIdentifier) -> None:
    for text in ("🙂🙂", "12345", "?!"):
        result = detect(text, identifier)
        assert (result.language, result.confidence) == ("ru", 0.0), text


@pytest.mark.slow
def test_accuracy_on_held_out_knowledge_base_questions(full_identifier: LanguageIdentifier) -> None:
    """Held-out topic questions: the model never saw them. The quality gate on the full model."""
    kb = load_knowledge(REPO_ROOT / "knowledge")
    right, total = Counter(), Counter()
    for example in examples(kb, held_out=True):
        if example.variant == "as written" and example.intent in kb.topics:
            total[example.language] += 1
            right[example.language] += detect(example.text, full_identifier).language == example.language
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

    assert [from_telegram_code(c) for c in ("ky", "ru-RU", "uz_UZ", "tg", "en", "", None)] == [
        "ky",
        "ru",
        "uz",
        "tg",
        None,
        None,
        None,
    ]
