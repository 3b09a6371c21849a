"""The desk's gettext catalogs: desk/locale/<lang>/LC_MESSAGES/django.po → .mo, which Django reads.

Compiled .mo files are build output (.gitignore), as for the bot; the desk compiles a catalog whose
.mo is missing or older than its .po when Django starts (with Babel: no GNU gettext needed).
Edit the .po after `cd desk && python manage.py makemessages -l ru --no-location`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every .po newer than its .mo; the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            with open(po, "rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with open(mo, "wb") as target:
                write_mo(target, catalog)
        except OSError as error:  # a read-only checkout: the desk shows English
            logger.warning("could not compile %s: %s", po, error.strerror)
            continue
        written.append(mo)
    if written:
        forget_loaded_translations()
    return written


def forget_loaded_translations() -> None:
    """Django caches each language's catalogs the first time a string is translated, and an app that
    loads before this one (the admin) may already have done so, without the .mo just written: drop
    that cache, as Django's own tests do when LOCALE_PATHS change (django/test/signals.py)."""
    from asgiref.local import Local
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
    trans_real.translation_catalog_exists.cache_clear()
