from django.urls import path

from kanalvakt.intake import views

app_name = "intake"
urlpatterns = [
    path("o/<slug:slug>/anslutningar/", views.connection_list, name="list"),
    path("o/<slug:slug>/anslutningar/<int:pk>/", views.connection_edit, name="connection"),
    path("o/<slug:slug>/anslutningar/<int:pk>/hamta/", views.connection_poll, name="poll"),
]
