from django.urls import path

from kanalvakt.register import views

app_name = "register"
urlpatterns = [
    path("o/<slug:slug>/", views.organisation_overview, name="organisation"),
]
