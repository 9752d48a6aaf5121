from django.urls import path

from kanalvakt.sso import views

app_name = "sso"
urlpatterns = [
    path("sso/logga-in/", views.SignInView.as_view(), name="sign_in"),
    path("sso/callback/", views.CallbackView.as_view(), name="callback"),
    path("o/<slug:slug>/inloggning/", views.mappings, name="mappings"),
    path("o/<slug:slug>/inloggning/<int:pk>/ta-bort/", views.mapping_remove, name="mapping_remove"),
]
