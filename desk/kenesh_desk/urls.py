"""The desk's URLs: one include per app, /healthz, /internal/ for the bot, the admin (accounts and groups only)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.views.i18n import set_language


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For `make run` and load balancers: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("lookup-search")


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # the ru/en switch in the header (a POST with CSRF); on the login page too
    path("language/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("desk.accounts.urls")),
    path("lookup/", include("desk.lookup.urls")),
    path("radar/", include("desk.radar.urls")),
    path("internal/counts", include("desk.radar.internal_urls")),
    path("cases/", include("desk.cases.urls")),
    path("knowledge/status/", include("desk.knowledge_status.urls")),
    path("knowledge/editor/", include("desk.knowledge_editor.urls")),
    path("knowledge/translations/", include("desk.knowledge_editor.translation_urls")),
    path("knowledge/retrain/", include("desk.retrain.urls")),
    path("internal/", include("desk.cases.internal_urls")),  # the bot's API: loopback and a shared secret
    path("admin/", admin.site.urls),
]
