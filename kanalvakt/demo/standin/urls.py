"""`/standin/…`: mounted only when `STANDIN_ENABLED` (env `KANALVAKT_STANDIN=1`)."""

from django.urls import path, re_path

from kanalvakt.demo.standin import views, views_atproto, views_meta, views_more, views_social

app_name = "standin"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("p/<str:platform>/<str:handle>/", views.public_page, name="public"),
    re_path(r"^graph/(?P<path>.*)$", views_meta.graph),
    re_path(r"^x/(?P<path>.*)$", views_social.x_api),
    re_path(r"^mastodon/(?P<path>.*)$", views_social.mastodon_api),
    re_path(r"^youtube/(?P<path>.*)$", views_social.youtube_api),
    path(
        "bluesky/.well-known/oauth-protected-resource",
        views_atproto.protected_resource,
        name="bluesky_protected_resource",
    ),
    path(
        "bluesky/.well-known/oauth-authorization-server",
        views_atproto.authorization_server,
        name="bluesky_authorization_server",
    ),
    path("bluesky/plc/<str:did>", views_atproto.plc_document, name="bluesky_plc"),
    path("bluesky/oauth/par", views_atproto.par, name="bluesky_par"),
    path("bluesky/oauth/authorize", views_atproto.authorize, name="bluesky_authorize"),
    path("bluesky/oauth/token", views_atproto.token, name="bluesky_token"),
    re_path(r"^bluesky/xrpc/(?P<nsid>[A-Za-z0-9.]+)$", views_more.bluesky_api),
    re_path(r"^linkedin/(?P<path>.*)$", views_more.linkedin_api),
    re_path(r"^wordpress/(?P<blog>[^/]+)/wp-json/wp/v2/(?P<path>.*)$", views_more.wordpress_api),
]
