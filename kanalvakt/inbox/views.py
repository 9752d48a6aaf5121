"""Inbox pages. Each view resolves through a selector, binds a form and calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.inbox import services
from kanalvakt.inbox.forms import EscalateForm, FilterForm, IntentForm, PersonForm, ReplyForm
from kanalvakt.inbox.intent import Intent
from kanalvakt.inbox.models import InboxEntry
from kanalvakt.inbox.selectors import EntryFilters, entry_list, get_entry_for_user, thread_for
from kanalvakt.organisations.selectors import get_organisation_for_user, member_list
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest

PAGE_SIZE = 50


def _list_context(request: AuthenticatedHttpRequest, slug: str) -> dict[str, Any]:
    organisation = get_organisation_for_user(request, slug)
    form = FilterForm(request.GET or None, organisation=organisation)
    filters = EntryFilters()
    if form.is_valid():
        account = form.cleaned_data["account"]
        filters = EntryFilters(
            account=account.pk if account else None,
            state=form.cleaned_data["state"],
            due=form.cleaned_data["due"],
            mine=form.cleaned_data["mine"],
            escalated=form.cleaned_data["escalated"],
        )
    now = timezone.now()
    entries = entry_list(organisation=organisation, viewer=request.user, filters=filters, now=now)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return {
        "organisation": organisation,
        "form": form,
        "page": page,
        "now": now,
        "query": query.urlencode(),
    }


@login_required
@require_GET
def inbox_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return render(request, "inbox/list.html", _list_context(request, slug))


@login_required
@require_GET
def inbox_list_partial(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The table alone, which the list page fetches every 30 seconds."""
    return render(request, "inbox/_entries.html", _list_context(request, slug))


@login_required
@require_GET
def entry_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    return render(request, "inbox/entry.html", _detail_context(request, entry))


def _detail_context(
    request: AuthenticatedHttpRequest,
    entry: InboxEntry,
    *,
    reply_form: ReplyForm | None = None,
) -> dict[str, Any]:
    organisation = entry.organisation
    item = entry.item
    templates = services.reply_templates(organisation=organisation, writer=request.user)
    chosen = None
    wanted = request.GET.get("mall", "")
    for template in templates:
        if f"{template.key}:{template.language}" == wanted:
            chosen = template
    if reply_form is None:
        initial = {"text": chosen.body, "template_key": chosen.key} if chosen else {}
        reply_form = ReplyForm(initial=initial)
    members = [membership.user for membership in member_list(organisation=organisation)]
    unique_members = list({member.pk: member for member in members}.values())
    suited = services.templates_for_intent(templates, entry.intent)
    return {
        "organisation": organisation,
        "entry": entry,
        "item": item,
        "text": services.current_text(item),
        "versions": item.versions.all(),
        "thread": thread_for(item),
        "intent_label": Intent(entry.intent).label if entry.intent in Intent.values else "",
        "replies": entry.replies.select_related("author"),
        "forwards": entry.forwards.select_related("to", "sent_by"),
        "escalations": entry.escalations.select_related("raised_by"),
        "may_handle": services.may_handle(request.user, entry),
        "signature": services.reply_signature(organisation=organisation, writer=request.user),
        "suited_templates": suited,
        "other_templates": [template for template in templates if template not in suited],
        "chosen_template": chosen,
        "reply_form": reply_form,
        "intent_form": IntentForm(initial={"intent": entry.intent}),
        "assign_form": PersonForm(people=unique_members, initial={"to": entry.assigned_to}),
        "forward_form": PersonForm(people=services.forward_candidates(organisation)),
        "escalate_form": EscalateForm(),
        "now": timezone.now(),
    }


def _back(slug: str, pk: int) -> HttpResponse:
    return redirect("inbox:entry", slug=slug, pk=pk)


@login_required
@require_POST
def entry_reply(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    form = ReplyForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.reply_send(
            actor=request.user,
            entry=entry,
            text=form.cleaned_data["text"],
            template_key=form.cleaned_data["template_key"],
        ),
        _("Svaret är skickat."),
    ):
        return _back(slug, pk)
    # Keep what the person wrote.
    context = _detail_context(request, entry, reply_form=form)
    return render(request, "inbox/entry.html", context, status=400)


@login_required
@require_POST
def entry_intent(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    form = IntentForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.entry_set_intent(
                actor=request.user, entry=entry, intent=form.cleaned_data["intent"]
            ),
            _("Avsikten är rättad."),
        )
    return _back(slug, pk)


@login_required
@require_POST
def entry_assign(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    members = [membership.user for membership in member_list(organisation=entry.organisation)]
    form = PersonForm(request.POST, people=members)
    if form.is_valid():
        attempt(
            request,
            lambda: services.entry_assign(
                actor=request.user, entry=entry, to=form.cleaned_data["to"]
            ),
            _("Ärendet är tilldelat."),
        )
    else:
        messages.error(request, _("Välj en person i organisationen."))
    return _back(slug, pk)


@login_required
@require_POST
def entry_forward(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    form = PersonForm(request.POST, people=services.forward_candidates(entry.organisation))
    if form.is_valid():
        attempt(
            request,
            lambda: services.entry_forward(
                actor=request.user,
                entry=entry,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            ),
            _("Meddelandet är vidarebefordrat med e-post."),
        )
    else:
        messages.error(request, _("Välj en handläggare."))
    return _back(slug, pk)


@login_required
@require_POST
def entry_escalate(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    form = EscalateForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.escalation_raise(
                actor=request.user,
                entry=entry,
                trigger=form.cleaned_data["trigger"],
                note=form.cleaned_data["note"],
            ),
            _("Meddelandet är eskalerat."),
        )
    return _back(slug, pk)


@login_required
@require_POST
def entry_close(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.entry_close(
            actor=request.user,
            entry=entry,
            no_answer_needed=request.POST.get("no_answer_needed") == "1",
        ),
        _("Ärendet är avslutat."),
    )
    return _back(slug, pk)


@login_required
@require_POST
def entry_evidence(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, slug, pk)
    try:
        content = services.evidence_export(actor=request.user, entry=entry)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return _back(slug, pk)
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="bevis-{entry.organisation.slug}-{entry.pk}-{stamp}.zip"'
    )
    return response
