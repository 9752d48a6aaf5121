from django.urls import path

from kanalvakt.organisations import twofactor_views, views

app_name = "organisations"
urlpatterns = [
    path("o/<slug:slug>/personer/", views.people, name="people"),
    path(
        "o/<slug:slug>/personer/<int:pk>/aterkalla/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path("o/<slug:slug>/franvaro/", views.absences, name="absences"),
    path("o/<slug:slug>/api-nycklar/", views.api_tokens, name="api_tokens"),
    path(
        "o/<slug:slug>/api-nycklar/<int:pk>/aterkalla/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path(
        "o/<slug:slug>/tvastegsverifiering/",
        twofactor_views.organisation_two_factor,
        name="two_factor",
    ),
]
