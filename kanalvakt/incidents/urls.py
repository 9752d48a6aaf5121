from django.urls import path

from kanalvakt.incidents import views

app_name = "incidents"
urlpatterns = [
    path("o/<slug:slug>/incidenter/", views.incident_list_view, name="list"),
    path("o/<slug:slug>/incidenter/<int:pk>/", views.incident_detail, name="detail"),
    path(
        "o/<slug:slug>/incidenter/<int:pk>/uppfoljning/",
        views.incident_follow_up_view,
        name="follow_up",
    ),
]
