from django.urls import path

from kanalvakt.reports import views

app_name = "reports"
urlpatterns = [
    path("o/<slug:slug>/oversikt/", views.dashboard, name="dashboard"),
    path("o/<slug:slug>/rapporter/", views.reports, name="reports"),
    path("o/<slug:slug>/rapporter/rapport.csv", views.report_csv, name="csv"),
    path("o/<slug:slug>/rapporter/rapport.pdf", views.report_pdf, name="pdf"),
]
