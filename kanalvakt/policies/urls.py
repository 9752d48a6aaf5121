from django.urls import path

from kanalvakt.policies import crisis_views, lifecycle_views, views

app_name = "policies"
urlpatterns = [
    path("o/<slug:slug>/policy/", views.policy_detail, name="detail"),
    path("o/<slug:slug>/policy/kvittera/", views.policy_acknowledge_view, name="acknowledge"),
    path("o/<slug:slug>/policy/versions/", views.policy_versions, name="versions"),
    path("o/<slug:slug>/policy/granskning/", lifecycle_views.review_page, name="review"),
    path(
        "o/<slug:slug>/policy/granskning/agare/",
        lifecycle_views.stewardship_set,
        name="stewardship",
    ),
    path("o/<slug:slug>/policy/granskning/beslut/", lifecycle_views.review_decide, name="decide"),
    path(
        "o/<slug:slug>/policy/paminn/",
        lifecycle_views.acknowledgement_remind_view,
        name="remind",
    ),
    path("o/<slug:slug>/kris/", crisis_views.crisis_page, name="crisis"),
    path("o/<slug:slug>/kris/starta/", crisis_views.crisis_start_view, name="crisis_start"),
    path("o/<slug:slug>/kris/avsluta/", crisis_views.crisis_end_view, name="crisis_end"),
]
