"""Who may use /internal/ (docs/handoff.md): the bot on this machine, with the shared secret.

A request must come from loopback (REMOTE_ADDR in 127.0.0.0/8 or ::1: the bot runs on the same
machine; a desk reached over a network needs a tunnel), not through a proxy (no X-Forwarded-* or
Forwarded header: an HTTPS proxy in front of the desk also connects from loopback), and carry
`Authorization: Bearer <bot.state.desk_internal_secret>`, compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from bot.state import desk_internal_secret

FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP")


def _from_loopback(request: HttpRequest) -> bool:
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _bearer_ok(request: HttpRequest) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = desk_internal_secret(settings.KENESH)
    return scheme == "Bearer" and hmac.compare_digest(token.encode(), expected.encode())


def refusal(request: HttpRequest) -> str | None:
    """Why the request is refused ("not_loopback", "forbidden"), or None when it is the bot's."""
    if not _from_loopback(request):
        return "not_loopback"
    if not _bearer_ok(request):
        return "forbidden"
    return None
