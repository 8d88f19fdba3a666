from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.accounts.login import LoginForm
from familiekracht import auth_views as fk_auth_views
from familiekracht import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        fk_auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("login/verify/", fk_auth_views.otp_verify, name="otp_verify"),
    path("account/two-factor/", fk_auth_views.otp_setup, name="otp_setup"),
    path(
        "account/two-factor/recovery-codes/",
        fk_auth_views.otp_recovery_codes,
        name="otp_recovery_codes",
    ),
    path("admin/", admin.site.urls),
    # The family portal: its own narrow door with its own gate (cases.portal.gate).
    path("gezin/", include("cases.portal.urls")),
    # Each app's family pages hang under /families/<id>/<app>/..., behind one gate
    # (cases.permissions.access_family); team-wide pages sit under /<app>/...
    path("", include("cases.urls")),
    path("", include("phases.urls")),
    path("", include("network.urls")),
    path("", include("strengths.urls")),
    path("", include("reports.urls")),
]
