"""`/standin/…`: mounted only when `STANDIN_ENABLED` (env `KANALVAKT_STANDIN=1`)."""

from django.urls import path, re_path

from kanalvakt.demo.standin import views, views_meta, views_more, views_social

app_name = "standin"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("p/<str:platform>/<str:handle>/", views.public_page, name="public"),
    re_path(r"^graph/(?P<path>.*)$", views_meta.graph),
    re_path(r"^x/(?P<path>.*)$", views_social.x_api),
    re_path(r"^mastodon/(?P<path>.*)$", views_social.mastodon_api),
    re_path(r"^youtube/(?P<path>.*)$", views_social.youtube_api),
    re_path(r"^bluesky/xrpc/(?P<nsid>[A-Za-z0-9.]+)$", views_more.bluesky_api),
    re_path(r"^linkedin/(?P<path>.*)$", views_more.linkedin_api),
    re_path(r"^wordpress/(?P<blog>[^/]+)/wp-json/wp/v2/(?P<path>.*)$", views_more.wordpress_api),
]
