"""Publishing pages. Each view resolves through a selector, binds a form and calls one service."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.publishing import publish, services
from kanalvakt.publishing.checker import Draft, Report, check
from kanalvakt.publishing.drafts import (
    account_info,
    media_info,
    organisation_pack,
    own_domains,
    post_check,
    writer_name,
)
from kanalvakt.publishing.forms import MediaForm, MediaUpdateForm, PostForm, ScheduleForm
from kanalvakt.publishing.models import Post, PostMedia, PostState
from kanalvakt.publishing.selectors import (
    calendar,
    get_media_for_user,
    get_post_for_user,
    get_record_for_user,
    get_target_for_user,
    post_list,
    publishable_accounts,
    records_for,
)
from kanalvakt.register.selectors import account_authority
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


def _variants(request: AuthenticatedHttpRequest) -> dict[int, str]:
    found = {}
    for key in request.POST:
        if key.startswith("variant-") and key.removeprefix("variant-").isdigit():
            found[int(key.removeprefix("variant-"))] = request.POST.get(key, "")
    return found


@login_required
@require_GET
def post_index(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    posts = post_list(organisation=organisation)[:100]
    return render(request, "publishing/list.html", {"organisation": organisation, "posts": posts})


@login_required
@require_http_methods(["GET", "POST"])
def post_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    accounts = publishable_accounts(organisation=organisation)
    form = PostForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        created: list[Post] = []
        if attempt(
            request,
            lambda: created.append(
                services.post_create(
                    actor=request.user,
                    organisation=organisation,
                    accounts=list(form.cleaned_data["accounts"]),
                    **form.post_fields(),
                )
            ),
            _("Utkastet är sparat."),
        ):
            return redirect("publishing:post", slug=slug, pk=created[0].pk)
    report = check(Draft(text=""), organisation_pack(organisation))
    context = {"organisation": organisation, "form": form, "report": report, "post": None}
    return render(request, "publishing/compose.html", context, status=400 if form.errors else 200)


def _media_form(media: PostMedia) -> MediaUpdateForm:
    return MediaUpdateForm(
        initial={
            "alt_text": media.alt_text,
            "rights_holder": media.rights_holder,
            "rights_confirmed": media.rights_confirmed,
            "accompanying_text": media.accompanying_text,
        },
        prefix=f"media-{media.pk}",
    )


def _detail_context(request: AuthenticatedHttpRequest, post: Post, **forms: Any) -> dict[str, Any]:
    organisation = post.organisation
    targets = list(post.targets.select_related("account__organisation"))
    authorities = [
        account_authority(user=request.user, account=target.account, publishing=True)
        for target in targets
    ]
    refusals = [authority.reason for authority in authorities if not authority]
    media = list(post.media.all())
    return {
        "organisation": organisation,
        "post": post,
        "form": forms.get("form")
        or PostForm(
            instance=post,
            accounts=publishable_accounts(organisation=organisation),
            initial={"accounts": [target.account for target in targets]},
        ),
        "targets": targets,
        "media": [(item, _media_form(item), media_info(item)) for item in media],
        "media_form": forms.get("media_form") or MediaForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(),
        "report": post_check(post),
        "editable": post.state in services.EDITABLE,
        "may_publish": bool(targets) and not refusals,
        "refusals": refusals,
        "approval_required": services.approval_required(organisation),
        "records": records_for(post=post),
    }


@login_required
@require_http_methods(["GET", "POST"])
def post_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    post = get_post_for_user(request, slug, pk)
    if request.method == "GET":
        return render(request, "publishing/post.html", _detail_context(request, post))
    form = PostForm(
        request.POST, instance=post, accounts=publishable_accounts(organisation=post.organisation)
    )
    if form.is_valid() and attempt(
        request,
        lambda: services.post_update(
            actor=request.user,
            post=post,
            accounts=list(form.cleaned_data["accounts"]),
            variants=_variants(request),
            **form.post_fields(),
        ),
        _("Utkastet är sparat."),
    ):
        return redirect("publishing:post", slug=slug, pk=pk)
    post.refresh_from_db()
    context = _detail_context(request, post, form=form)
    return render(request, "publishing/post.html", context, status=400)


@login_required
@require_POST
def media_add(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    post = get_post_for_user(request, slug, pk)
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid() and attempt(
        request,
        lambda: services.post_media_add(
            actor=request.user,
            post=post,
            upload=form.cleaned_data["upload"],
            alt_text=form.cleaned_data["alt_text"],
            rights_holder=form.cleaned_data["rights_holder"],
            rights_confirmed=form.cleaned_data["rights_confirmed"],
            captions=form.cleaned_data["captions"],
            accompanying_text=form.cleaned_data["accompanying_text"],
        ),
        _("Filen är tillagd."),
    ):
        return redirect("publishing:post", slug=slug, pk=pk)
    context = _detail_context(request, post, media_form=form)
    return render(request, "publishing/post.html", context, status=400)


@login_required
@require_POST
def media_update(
    request: AuthenticatedHttpRequest, slug: str, pk: int, media_pk: int
) -> HttpResponse:
    media = get_media_for_user(request, slug, pk, media_pk)
    form = MediaUpdateForm(request.POST, prefix=f"media-{media.pk}")
    if form.is_valid():
        attempt(
            request,
            lambda: services.post_media_update(
                actor=request.user, media=media, **form.cleaned_data
            ),
            _("Filens uppgifter är sparade."),
        )
    return redirect("publishing:post", slug=slug, pk=pk)


def _step(
    request: AuthenticatedHttpRequest, slug: str, pk: int, action: Any, done: str
) -> HttpResponse:
    post = get_post_for_user(request, slug, pk)
    attempt(request, lambda: action(actor=request.user, post=post), done)
    return redirect("publishing:post", slug=slug, pk=pk)


@login_required
@require_POST
def post_submit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, services.post_submit, _("Inlägget väntar på godkännande."))


@login_required
@require_POST
def post_approve(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, services.post_approve, _("Inlägget är godkänt."))


@login_required
@require_POST
def post_publish(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(
        request, slug, pk, publish.post_publish, _("Publiceringen är gjord; se utfallet per konto.")
    )


@login_required
@require_POST
def post_schedule(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    post = get_post_for_user(request, slug, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.post_schedule(actor=request.user, post=post, at=form.cleaned_data["at"]),
        _("Inlägget är schemalagt."),
    ):
        return redirect("publishing:post", slug=slug, pk=pk)
    context = _detail_context(request, post, schedule_form=form)
    return render(request, "publishing/post.html", context, status=400)


@login_required
@require_POST
def target_retry(
    request: AuthenticatedHttpRequest, slug: str, pk: int, target_pk: int
) -> HttpResponse:
    target = get_target_for_user(request, slug, pk, target_pk)
    attempt(
        request,
        lambda: publish.target_retry(actor=request.user, target=target),
        _("Nytt försök är gjort; se utfallet."),
    )
    return redirect("publishing:post", slug=slug, pk=pk)


def _findings(
    request: AuthenticatedHttpRequest, report: Report, *, reply: bool = False
) -> HttpResponse:
    return render(request, "publishing/_findings.html", {"report": report, "reply": reply})


@login_required
@require_POST
def draft_check(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The checker on the unsaved form, as the writer types (htmx)."""
    organisation = get_organisation_for_user(request, slug)
    accounts = publishable_accounts(organisation=organisation).filter(
        pk__in=[value for value in request.POST.getlist("accounts") if value.isdigit()]
    )
    variants = _variants(request)
    media: tuple[Any, ...] = ()
    post_pk = request.POST.get("post", "")
    if post_pk.isdigit():
        post = get_object_or_404(post_list(organisation=organisation), pk=int(post_pk))
        media = tuple(media_info(item) for item in post.media.all())
    data = request.POST
    draft = Draft(
        text=data.get("text", ""),
        link=data.get("link", ""),
        media=media,
        accounts=tuple(account_info(a, variants.get(a.pk, "")) for a in accounts),
        people=data.get("people", "none"),
        consent_recorded=bool(data.get("consent_recorded")),
        other_language_separately=bool(data.get("other_language_separately")),
        web_news=bool(data.get("web_news")),
        organisation=str(organisation),
        writer=writer_name(request.user),
    )
    report = check(draft, organisation_pack(organisation), own_domains=own_domains(organisation))
    return _findings(request, report)


@login_required
@require_POST
def reply_check(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The checker on an inbox reply: "du", identity numbers, secrets, neutrality."""
    organisation = get_organisation_for_user(request, slug)
    draft = Draft(
        text=request.POST.get("text", ""),
        organisation=str(organisation),
        writer=writer_name(request.user),
        reply=True,
    )
    report = check(draft, organisation_pack(organisation), own_domains=own_domains(organisation))
    return _findings(request, report, reply=True)


@login_required
@require_GET
def post_calendar(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    accounts = publishable_accounts(organisation=organisation)
    account = None
    wanted = request.GET.get("konto", "")
    if wanted.isdigit():
        account = get_object_or_404(accounts, pk=int(wanted))
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("fran", ""))
    except ValueError:
        start = today - datetime.timedelta(days=7)
    days = calendar(organisation=organisation, start=start, days=42, account=account)
    return render(
        request,
        "publishing/calendar.html",
        {
            "organisation": organisation,
            "days": days,
            "accounts": accounts,
            "account": account,
            "start": start,
            "end": start + datetime.timedelta(days=41),
            "earlier": start - datetime.timedelta(days=42),
            "later": start + datetime.timedelta(days=42),
        },
    )


PUBLIC_MEDIA_STATES = (
    PostState.APPROVED,
    PostState.SCHEDULED,
    PostState.PUBLISHING,
    PostState.PUBLISHED,
)


@require_GET
def media_public(request: HttpRequest, token: str) -> FileResponse:
    """An approved post's file at an unguessable address, for platforms that fetch media
    themselves (Instagram); drafts' files are never public."""
    media = get_object_or_404(
        PostMedia.objects.filter(post__state__in=PUBLIC_MEDIA_STATES), public_token=token
    )
    response = FileResponse(media.file.open("rb"), content_type=media.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def record_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    record = get_record_for_user(request, slug, pk)
    return render(
        request,
        "publishing/record.html",
        {"organisation": record.organisation, "record": record, "post": record.target.post},
    )
