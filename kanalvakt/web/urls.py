from django.urls import path

from kanalvakt.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
