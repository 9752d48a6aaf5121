from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("kanalvakt.web.urls")),
    path("", include("kanalvakt.register.urls")),
    path("", include("kanalvakt.organisations.urls")),
    path("", include("kanalvakt.policies.urls")),
    path("", include("kanalvakt.inbox.urls")),
    path("", include("kanalvakt.intake.urls")),
    path("", include("kanalvakt.moderation.urls")),
    path("", include("kanalvakt.records.urls")),
    path("", include("kanalvakt.reports.urls")),
    path("", include("kanalvakt.sso.urls")),
    path("", include("kanalvakt.incidents.urls")),
    path("", include("kanalvakt.corrections.urls")),
    path("", include("kanalvakt.governance.urls")),
    path("", include("kanalvakt.listening.urls")),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
