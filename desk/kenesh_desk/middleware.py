"""The desk's own middleware: login required everywhere (htmx-aware), and the CSP header."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Every view needs a login (those marked @login_not_required excepted). An htmx request after the
    session expired gets a client redirect to the login page, not the login form swapped into a panel."""

    def handle_no_permission(self, request: HttpRequest, view_func: Callable) -> HttpResponse:
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
        return super().handle_no_permission(request, view_func)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every response: scripts and styles from this site only, none inline
    (Django 5.2 has no CSP setting of its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
