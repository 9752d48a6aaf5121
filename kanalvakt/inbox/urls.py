from django.urls import path

from kanalvakt.inbox import saved, views, webhooks

app_name = "inbox"
urlpatterns = [
    webhooks.ROUTE,
    path("o/<slug:slug>/inkorg/", views.inbox_list, name="list"),
    path("o/<slug:slug>/inkorg/lista/", views.inbox_list_partial, name="list_partial"),
    path("o/<slug:slug>/inkorg/<int:pk>/", views.entry_detail, name="entry"),
    path("o/<slug:slug>/inkorg/<int:pk>/svara/", views.entry_reply, name="reply"),
    path("o/<slug:slug>/inkorg/<int:pk>/avsikt/", views.entry_intent, name="intent"),
    path("o/<slug:slug>/inkorg/<int:pk>/tilldela/", views.entry_assign, name="assign"),
    path("o/<slug:slug>/inkorg/<int:pk>/vidarebefordra/", views.entry_forward, name="forward"),
    path("o/<slug:slug>/inkorg/<int:pk>/eskalera/", views.entry_escalate, name="escalate"),
    path("o/<slug:slug>/inkorg/<int:pk>/avsluta/", views.entry_close, name="close"),
    path("o/<slug:slug>/inkorg/<int:pk>/oppna-igen/", views.entry_reopen, name="reopen"),
    path("o/<slug:slug>/inkorg/<int:pk>/moderera/", views.entry_moderate, name="moderate"),
    path("o/<slug:slug>/inkorg/markerade/", views.entries_bulk, name="bulk"),
    path("o/<slug:slug>/inkorg/filter/", saved.saved_filter_views, name="saved_filter"),
    path("o/<slug:slug>/inkorg/<int:pk>/bevis.zip", views.entry_evidence, name="evidence"),
]
