from django.urls import path

from kanalvakt.moderation import api, views

app_name = "moderation"
urlpatterns = [
    path("api/screen/", api.screen_api, name="screen_api"),
    path("o/<slug:slug>/moderering/", views.queue, name="queue"),
    path("o/<slug:slug>/moderering/notiser/", views.notices, name="notices"),
    path("o/<slug:slug>/moderering/<int:pk>/", views.case_detail, name="case"),
    path("o/<slug:slug>/moderering/<int:pk>/forsok-igen/", views.case_retry, name="retry"),
]
