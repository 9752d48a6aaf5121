from django.urls import path

from kanalvakt.policies import views

app_name = "policies"
urlpatterns = [
    path("o/<slug:slug>/policy/", views.policy_detail, name="detail"),
    path("o/<slug:slug>/policy/kvittera/", views.policy_acknowledge_view, name="acknowledge"),
    path("o/<slug:slug>/policy/versions/", views.policy_versions, name="versions"),
]
