from django.urls import path

from kanalvakt.listening import views

app_name = "listening"
urlpatterns = [
    path("o/<slug:slug>/bevakning/", views.listening_page, name="page"),
    path("o/<slug:slug>/bevakning/kallor/", views.source_add, name="source_add"),
    path(
        "o/<slug:slug>/bevakning/kallor/<int:pk>/stang/",
        views.source_disable,
        name="source_disable",
    ),
    path("o/<slug:slug>/bevakning/<int:pk>/ta-in/", views.mention_take_in, name="take_in"),
]
