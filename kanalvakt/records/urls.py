from django.urls import path

from kanalvakt.records import api, request_views, views

app_name = "records"
urlpatterns = [
    path("api/records/openapi.json", api.openapi, name="openapi"),
    path("api/records/<slug:slug>/registrations/", api.registrations, name="api_registrations"),
    path("o/<slug:slug>/diarium/", views.queue, name="queue"),
    path("o/<slug:slug>/diarium/diarieforda/", views.registered, name="registered"),
    path("o/<slug:slug>/diarium/export.<str:fmt>", views.export, name="export"),
    path("o/<slug:slug>/diarium/<int:pk>/registrera/", views.register, name="register"),
    path("o/<slug:slug>/diarium/<int:pk>/undanta/", views.exempt, name="exempt"),
    path("o/<slug:slug>/diarium/<int:pk>/overlamna/", views.forward, name="forward"),
    path("o/<slug:slug>/ogonblicksbilder/", views.snapshots, name="snapshots"),
    path(
        "o/<slug:slug>/konton/<int:account_pk>/ogonblicksbild/",
        views.snapshot_request,
        name="snapshot_request",
    ),
    path(
        "o/<slug:slug>/ogonblicksbilder/<int:pk>/<str:kind>/",
        views.snapshot_file,
        name="snapshot_file",
    ),
    path("o/<slug:slug>/gallring/", views.disposal_page, name="disposal"),
    path("o/<slug:slug>/begaran/", request_views.requests, name="requests"),
    path("o/<slug:slug>/begaran/<int:pk>/", request_views.request_review, name="request"),
    path("o/<slug:slug>/begaran/<int:pk>/maskera/", request_views.request_redact, name="redact"),
    path(
        "o/<slug:slug>/begaran/<int:pk>/lamna-ut/", request_views.request_disclose, name="disclose"
    ),
    path(
        "o/<slug:slug>/begaran/<int:pk>/utlamning/<int:disclosure_pk>/<str:fmt>/",
        request_views.disclosure_file,
        name="disclosure_file",
    ),
    path("o/<slug:slug>/arkivpaket/", views.packages, name="packages"),
    path("o/<slug:slug>/arkivpaket/<int:pk>/", views.package_file, name="package_file"),
]
