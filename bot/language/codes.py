"""Supported languages and scripts, and how outside codes map to them."""

from __future__ import annotations

# Languages every user-facing text must exist in. Uzbek text is stored in Latin script;
# Uzbek Cyrillic is produced from it by bot.language.translit.
LANGUAGES: tuple[str, ...] = ("ky", "ru", "uz", "tg")

# The scripts a user can be served in: uz_Cyrl is Uzbek rendered in Cyrillic.
SCRIPTS: tuple[str, ...] = ("ky", "ru", "uz", "uz_Cyrl", "tg")

DEFAULT_LANGUAGE = "ru"

NATIVE_NAMES: dict[str, str] = {
    "ky": "Кыргызча",
    "ru": "Русский",
    "uz": "O'zbekcha",
    "uz_Cyrl": "Ўзбекча",
    "tg": "Тоҷикӣ",
}


def from_telegram_code(code: str | None) -> str | None:
    """Telegram's language_code (an IETF tag such as "ru" or "uz-UZ") -> a script, if supported.

    Telegram does not say which Uzbek script a person reads, so Uzbek maps to Latin (the official one).
    """
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def base_language(script: str) -> str:
    """Return the language a script variant belongs to (uz_Cyrl -> uz)."""
    return script.split("_", 1)[0]
