"""A word diff of one field, for the review page: every token escaped, deletions and insertions marked.

Words are runs of letters and digits; an apostrophe inside a word (o'zbek, o‘zbek, oʻzbek) keeps
it one word, so a changed apostrophe does not show as three changed tokens.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\w+(?:['’‘ʻʼ]\w+)*|\s+|[^\w\s]")


def word_diff(old: str, new: str) -> SafeString:
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 (every token above is escaped)
