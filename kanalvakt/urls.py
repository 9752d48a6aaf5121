from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from kanalvakt.organisations import twofactor_views
from kanalvakt.web.security import ThrottledPasswordResetView

urlpatterns = [
    path("", include("kanalvakt.web.urls")),
    path("", include("kanalvakt.register.urls")),
    path("", include("kanalvakt.organisations.urls")),
    path("", include("kanalvakt.policies.urls")),
    path("", include("kanalvakt.inbox.urls")),
    path("", include("kanalvakt.intake.urls")),
    path("", include("kanalvakt.moderation.urls")),
    path("", include("kanalvakt.records.urls")),
    path("", include("kanalvakt.notifications.urls")),
    path("", include("kanalvakt.reports.urls")),
    path("", include("kanalvakt.sso.urls")),
    path("", include("kanalvakt.publishing.urls")),
    path("", include("kanalvakt.incidents.urls")),
    path("", include("kanalvakt.corrections.urls")),
    path("", include("kanalvakt.governance.urls")),
    path("", include("kanalvakt.listening.urls")),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set_language"),
    path(
        "konto/tvastegsverifiering/",
        twofactor_views.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "konto/tvastegsverifiering/kod/",
        twofactor_views.two_factor_verify,
        name="two_factor_verify",
    ),
    path(
        "konto/tvastegsverifiering/nycklar/",
        twofactor_views.security_key_add,
        name="security_key_add",
    ),
    path(
        "konto/tvastegsverifiering/nycklar/<int:pk>/ta-bort/",
        twofactor_views.security_key_remove,
        name="security_key_remove",
    ),
    path(
        "konto/tvastegsverifiering/nyckel/",
        twofactor_views.security_key_verify,
        name="security_key_verify",
    ),
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "glomt-losenord/",
        ThrottledPasswordResetView.as_view(
            extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
        ),
        name="password_reset",
    ),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
# The admin only where configured (ADMIN_PATH; AdminGateMiddleware limits who reaches it).
if settings.ADMIN_PATH.strip("/"):
    urlpatterns.append(path(settings.ADMIN_PATH.strip("/") + "/", admin.site.urls))

if settings.STANDIN_ENABLED:  # the demo's local stand-in platform (scripts/demo.sh)
    urlpatterns.append(path("standin/", include("kanalvakt.demo.standin.urls")))
