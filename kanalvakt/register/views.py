"""Pages of the account register. Each view resolves through a selector and calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.organisations.models import Role
from kanalvakt.organisations.permissions import roles_of
from kanalvakt.organisations.selectors import get_organisation_for_user, member_list
from kanalvakt.register import services
from kanalvakt.register.attestations import attestation_label, attested_rules
from kanalvakt.register.forms import (
    AdminForm,
    CloseRequestForm,
    MandateForm,
    OpenRequestForm,
    ProfileCheckForm,
    RegisterForm,
    RejectForm,
    RevokeForm,
    SecurityForm,
    StepForm,
    SubstituteForm,
)
from kanalvakt.register.models import Account, AccountAdmin, RequestStep
from kanalvakt.register.selectors import (
    account_rows,
    get_account_for_user,
    get_mandate_for_user,
    get_request_for_user,
    mandate_list,
    mandates_valid_on,
    request_list,
)
from kanalvakt.register.steps import STEPS
from kanalvakt.register.warnings import account_warnings
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def organisation_overview(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    rows = account_rows(organisation=organisation, today=timezone.localdate())
    return render(
        request,
        "register/organisation.html",
        {
            "organisation": organisation,
            "rows": rows,
            "units": organisation.units.all(),
            "members": member_list(organisation=organisation),
            "my_roles": roles_of(request.user, organisation),
            "pending_requests": request_list(organisation=organisation).filter(status="pending"),
        },
    )


@login_required
@require_GET
def account_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    organisation = account.organisation
    pack = organisation.policy_version.pack if organisation.policy_version else None
    today = timezone.localdate()
    checks = {check.requirement: check for check in account.profile_checks.all()}
    profile = [
        {
            "rule": rule,
            "key": rule.value.get("key"),
            "label": rule.value.get("label"),
            "check": checks.get(rule.value.get("key")),
        }
        for rule in (pack.rule_list("profile") if pack else [])
    ] + [
        {
            "rule": rule,
            "key": rule.path,
            "label": attestation_label(rule),
            "check": checks.get(rule.path),
        }
        for rule in attested_rules(pack)
    ]
    return render(
        request,
        "register/account_detail.html",
        {
            "organisation": organisation,
            "account": account,
            "warnings": account_warnings(account, pack=pack, today=today),
            "valid_mandates": mandates_valid_on(account=account, on=today).select_related("holder"),
            "all_mandates": account.mandates.all(),
            "profile": profile,
            "requests": account.requests.prefetch_related("steps"),
            "admin_form": AdminForm(organisation=organisation),
            "substitute_form": SubstituteForm(
                organisation=organisation, initial={"substitute": account.substitute}
            ),
            "security_form": SecurityForm(instance=account),
            "close_form": CloseRequestForm(),
            "may_edit_register": services.may_edit_register(request.user, account),
        },
    )


@login_required
@require_POST
def account_admin_add(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    form = AdminForm(request.POST, organisation=account.organisation)
    if form.is_valid():
        attempt(
            request,
            lambda: services.account_admin_add(
                actor=request.user,
                account=account,
                user=form.cleaned_data["user"],
                is_web_manager=form.cleaned_data["is_web_manager"],
            ),
            _("Administratören är tillagd."),
        )
    return redirect("register:account", slug=slug, pk=pk)


@login_required
@require_POST
def account_admin_remove(
    request: AuthenticatedHttpRequest, slug: str, pk: int, admin_pk: int
) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    admin = get_object_or_404(AccountAdmin, account=account, pk=admin_pk)
    attempt(
        request,
        lambda: services.account_admin_remove(actor=request.user, admin=admin),
        _("Administratören är borttagen."),
    )
    return redirect("register:account", slug=slug, pk=pk)


@login_required
@require_POST
def account_substitute(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    form = SubstituteForm(request.POST, organisation=account.organisation)
    if form.is_valid():
        attempt(
            request,
            lambda: services.account_set_substitute(
                actor=request.user, account=account, substitute=form.cleaned_data["substitute"]
            ),
            _("Ersättaren är sparad."),
        )
    return redirect("register:account", slug=slug, pk=pk)


@login_required
@require_POST
def account_security(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    form = SecurityForm(request.POST, instance=account)
    if form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.Meta.fields}
        attempt(
            request,
            lambda: services.account_update(actor=request.user, account=account, **changes),
            _("Säkerhetsuppgifterna är sparade."),
        )
    else:
        messages.error(request, _("Kontrollera uppgifterna."))
    return redirect("register:account", slug=slug, pk=pk)


@login_required
@require_POST
def account_profile_check(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    form = ProfileCheckForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.profile_check_record(
                actor=request.user,
                account=account,
                requirement=form.cleaned_data["requirement"],
                satisfied=form.cleaned_data["satisfied"],
                note=form.cleaned_data["note"],
            ),
            _("Profilkontrollen är sparad."),
        )
    return redirect("register:account", slug=slug, pk=pk)


@login_required
def account_request_open(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    form = OpenRequestForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        created: list[Any] = []
        data = form.cleaned_data
        if attempt(
            request,
            lambda: created.append(
                services.account_request_open(actor=request.user, organisation=organisation, **data)
            ),
            _("Begäran är inlämnad. Den går nu vidare enligt policyn."),
        ):
            return redirect("register:request", slug=slug, pk=created[0].pk)
    return render(
        request, "register/request_open.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_POST
def account_request_close(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    form = CloseRequestForm(request.POST)
    created: list[Any] = []
    if form.is_valid() and attempt(
        request,
        lambda: created.append(
            services.account_request_close(
                actor=request.user, account=account, reason=form.cleaned_data["reason"]
            )
        ),
        _("Begäran om att stänga kontot är inlämnad."),
    ):
        return redirect("register:request", slug=slug, pk=created[0].pk)
    return redirect("register:account", slug=slug, pk=pk)


@login_required
@require_GET
def request_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account_request = get_request_for_user(request, slug, pk)
    steps = [
        {
            "step": step,
            "definition": STEPS[step.key],
            "allowed": services.step_allowed(request.user, step),
        }
        for step in account_request.steps.select_related("done_by")
    ]
    return render(
        request,
        "register/request_detail.html",
        {
            "organisation": account_request.organisation,
            "account_request": account_request,
            "steps": steps,
            "step_form": StepForm(),
            "reject_form": RejectForm(),
            "may_reject": bool(
                roles_of(request.user, account_request.organisation)
                & {Role.MANAGER, Role.COMMS_LEAD}
            ),
        },
    )


@login_required
@require_POST
def request_step(
    request: AuthenticatedHttpRequest, slug: str, pk: int, step_pk: int
) -> HttpResponse:
    account_request = get_request_for_user(request, slug, pk)
    step = get_object_or_404(RequestStep, request=account_request, pk=step_pk)
    form = StepForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.request_step_complete(
                actor=request.user, step=step, note=form.cleaned_data["note"]
            ),
            _("Steget är markerat som klart."),
        )
    return redirect("register:request", slug=slug, pk=pk)


@login_required
@require_POST
def request_reject(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account_request = get_request_for_user(request, slug, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.account_request_reject(
                actor=request.user, request=account_request, reason=form.cleaned_data["reason"]
            ),
            _("Begäran är avslagen."),
        )
    else:
        messages.error(request, _("Ange skälet till avslaget."))
    return redirect("register:request", slug=slug, pk=pk)


@login_required
def mandates(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    form = MandateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["accounts"] = list(data["accounts"])
        if attempt(
            request,
            lambda: services.mandate_grant(actor=request.user, organisation=organisation, **data),
            _("Uppdraget är registrerat."),
        ):
            return redirect("register:mandates", slug=slug)
    return render(
        request,
        "register/mandates.html",
        {
            "organisation": organisation,
            "mandates": mandate_list(organisation=organisation),
            "form": form,
            "revoke_form": RevokeForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def mandate_revoke(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    mandate = get_mandate_for_user(request, slug, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.mandate_revoke(
                actor=request.user, mandate=mandate, reason=form.cleaned_data["reason"]
            ),
            _("Uppdraget är återkallat."),
        )
    else:
        messages.error(request, _("Ange skälet till att uppdraget återkallas."))
    return redirect("register:mandates", slug=slug)


@login_required
def account_register_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """An account's admins change what the public register says about it."""
    account = get_account_for_user(request, slug, pk)
    if not services.may_edit_register(request.user, account):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, instance=Account.objects.get(pk=account.pk))
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in services.REGISTER_FIELDS}
        if attempt(
            request,
            lambda: services.account_register_update(
                actor=request.user, account=account, **changes
            ),
            _("Uppgifterna i förteckningen är sparade."),
        ):
            return redirect("register:account", slug=slug, pk=pk)
    return render(
        request,
        "register/account_register_edit.html",
        {"organisation": account.organisation, "account": account, "form": form},
        status=400 if form.errors else 200,
    )
