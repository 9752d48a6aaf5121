from django.urls import path

from kanalvakt.intake import views

app_name = "intake"
urlpatterns = [
    path("o/<slug:slug>/anslutningar/", views.connection_list, name="list"),
    path("o/<slug:slug>/anslutningar/<int:pk>/", views.connection_edit, name="connection"),
    path("o/<slug:slug>/anslutningar/<int:pk>/hamta/", views.connection_poll, name="poll"),
    path(
        "o/<slug:slug>/anslutningar/<int:pk>/logga-in/",
        views.connection_oauth_start,
        name="oauth_start",
    ),
    path("anslutningar/oauth/callback/", views.oauth_callback, name="oauth_callback"),
    path(
        "anslutningar/oauth/bluesky/client-metadata.json",
        views.bluesky_client_metadata,
        name="bluesky_client_metadata",
    ),
    path("anslutningar/oauth/bluesky/jwks.json", views.bluesky_jwks, name="bluesky_jwks"),
]
