from django.urls import path

from kanalvakt.governance import views

app_name = "governance"
urlpatterns = [
    path("o/<slug:slug>/kontoplaner/", views.plan_list, name="list"),
    path("o/<slug:slug>/vidarebefordrat/", views.forwarded_list, name="forwarded"),
    path(
        "o/<slug:slug>/vidarebefordrat/<int:pk>/besvarat/",
        views.forwarded_answer,
        name="forwarded_answer",
    ),
    path("o/<slug:slug>/kontoplaner/<int:pk>/", views.plan_detail, name="detail"),
    path("o/<slug:slug>/kontoplaner/<int:pk>/plan/", views.plan_record, name="plan"),
    path("o/<slug:slug>/kontoplaner/<int:pk>/oversyn/", views.review_record, name="review"),
]
