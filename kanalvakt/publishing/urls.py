from django.urls import path

from kanalvakt.publishing import views

app_name = "publishing"
urlpatterns = [
    path("publicering/filer/<str:token>/", views.media_public, name="media_public"),
    path("o/<slug:slug>/publicering/", views.post_index, name="list"),
    path("o/<slug:slug>/publicering/nytt/", views.post_new, name="new"),
    path("o/<slug:slug>/publicering/kalender/", views.post_calendar, name="calendar"),
    path("o/<slug:slug>/publicering/kontroll/", views.draft_check, name="check"),
    path("o/<slug:slug>/publicering/kontroll/svar/", views.reply_check, name="reply_check"),
    path("o/<slug:slug>/publicering/handlingar/<int:pk>/", views.record_detail, name="record"),
    path("o/<slug:slug>/publicering/<int:pk>/", views.post_detail, name="post"),
    path("o/<slug:slug>/publicering/<int:pk>/fil/", views.media_add, name="media_add"),
    path(
        "o/<slug:slug>/publicering/<int:pk>/fil/<int:media_pk>/",
        views.media_update,
        name="media_update",
    ),
    path("o/<slug:slug>/publicering/<int:pk>/skicka/", views.post_submit, name="submit"),
    path("o/<slug:slug>/publicering/<int:pk>/godkann/", views.post_approve, name="approve"),
    path("o/<slug:slug>/publicering/<int:pk>/schemalagg/", views.post_schedule, name="schedule"),
    path("o/<slug:slug>/publicering/<int:pk>/publicera/", views.post_publish, name="publish"),
    path(
        "o/<slug:slug>/publicering/<int:pk>/konto/<int:target_pk>/forsok-igen/",
        views.target_retry,
        name="retry",
    ),
]
