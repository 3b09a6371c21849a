"""Log in and out. No self-registration: an admin adds people (`python -m bot desk adduser`)."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="accounts-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),  # POST only (Django 5)
]
