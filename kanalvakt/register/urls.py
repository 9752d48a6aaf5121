from django.urls import path

from kanalvakt.register import public_views, views

app_name = "register"
urlpatterns = [
    path("o/<slug:slug>/", views.organisation_overview, name="organisation"),
    path("o/<slug:slug>/konton/nytt/", views.account_request_open, name="request_open"),
    path("o/<slug:slug>/konton/<int:pk>/", views.account_detail, name="account"),
    path(
        "o/<slug:slug>/konton/<int:pk>/administratorer/",
        views.account_admin_add,
        name="admin_add",
    ),
    path(
        "o/<slug:slug>/konton/<int:pk>/administratorer/<int:admin_pk>/ta-bort/",
        views.account_admin_remove,
        name="admin_remove",
    ),
    path("o/<slug:slug>/konton/<int:pk>/ersattare/", views.account_substitute, name="substitute"),
    path(
        "o/<slug:slug>/konton/<int:pk>/uppgifter/",
        views.account_register_edit,
        name="register_edit",
    ),
    path("o/<slug:slug>/konton/<int:pk>/sakerhet/", views.account_security, name="security"),
    path("o/<slug:slug>/konton/<int:pk>/profil/", views.account_profile_check, name="profile"),
    path("o/<slug:slug>/konton/<int:pk>/stang/", views.account_request_close, name="request_close"),
    path("o/<slug:slug>/begaranden/<int:pk>/", views.request_detail, name="request"),
    path(
        "o/<slug:slug>/begaranden/<int:pk>/steg/<int:step_pk>/",
        views.request_step,
        name="request_step",
    ),
    path("o/<slug:slug>/begaranden/<int:pk>/avslag/", views.request_reject, name="request_reject"),
    path("o/<slug:slug>/uppdrag/", views.mandates, name="mandates"),
    path("o/<slug:slug>/uppdrag/<int:pk>/aterkalla/", views.mandate_revoke, name="mandate_revoke"),
    path("register/<slug:slug>/", public_views.public_register_page, name="public"),
    path("register/<slug:slug>.json", public_views.public_register_json, name="public_json"),
    path("register/<slug:slug>.csv", public_views.public_register_csv, name="public_csv"),
    path(
        "register/<slug:slug>/kontrollpunkter.json",
        public_views.public_checkpoints_json,
        name="public_checkpoints",
    ),
]
