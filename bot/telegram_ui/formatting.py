"""Plain answer text -> Telegram HTML messages: every dynamic piece escaped, split at the limit.

Answers from the knowledge base are plain text, so the whole text is escaped and sent in HTML
parse mode: nothing a user or an editor types can become markup.
"""

from __future__ import annotations

import html

MESSAGE_LIMIT = 4096  # Telegram's limit per message, in UTF-16 code units


def escape(text: str) -> str:
    """Text -> HTML-safe text (&, <, > escaped)."""
    return html.escape(text, quote=False)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split escaped text into messages of at most `limit`, on paragraph, then line, then word breaks."""
    return _pack(text, ["\n\n", "\n", " "], limit)


def _pack(text: str, separators: list[str], limit: int) -> list[str]:
    if telegram_length(text) <= limit:
        return [text] if text else []
    if not separators:
        return _hard_cut(text, limit)
    separator, finer = separators[0], separators[1:]
    chunks: list[str] = []
    current = ""
    for part in text.split(separator):
        if telegram_length(part) > limit:  # too long on its own: split it finer, in its own messages
            if current:
                chunks.append(current)
            chunks.extend(_pack(part, finer, limit))
            current = ""
            continue
        candidate = f"{current}{separator}{part}" if current else part
        if telegram_length(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    """Cut a text with no break in it; never inside an HTML entity such as &amp;."""
    chunks = []
    while text:
        cut = limit
        while telegram_length(text[:cut]) > limit:
            cut -= 1
        amp = text.rfind("&", max(0, cut - 8), cut)
        if amp > 0 and ";" not in text[amp:cut]:
            cut = amp
        chunks.append(text[:cut])
        text = text[cut:]
    return chunks
