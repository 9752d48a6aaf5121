from django.urls import path

from kanalvakt.inbox import webhooks

app_name = "inbox"
urlpatterns = [
    path("webhooks/<slug:platform>/<str:key>/", webhooks.webhook, name="webhook"),
]
