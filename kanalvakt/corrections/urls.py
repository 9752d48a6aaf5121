from django.urls import path

from kanalvakt.corrections import views

app_name = "corrections"
urlpatterns = [
    path("o/<slug:slug>/rattelser/", views.correction_list_view, name="list"),
    path("o/<slug:slug>/rattelser/<int:pk>/", views.correction_detail, name="detail"),
    path("o/<slug:slug>/rattelser/<int:pk>/kalla/", views.correction_source, name="source"),
    path("o/<slug:slug>/rattelser/<int:pk>/klar/", views.correction_close, name="close"),
]
