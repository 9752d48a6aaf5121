from django.urls import path

from kanalvakt.notifications import views

app_name = "notifications"
urlpatterns = [
    path("aviseringar/", views.notification_list, name="list"),
    path("aviseringar/las/", views.notifications_read, name="read"),
]
