"""Reads for the account planning pages, scoped to the organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max

from kanalvakt.governance.models import AccountPlan, AccountReview
from kanalvakt.governance.services import idle_days, passive_limit, review_due
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import account_list


@dataclass(frozen=True)
class PlanRow:
    account: Account
    plan: AccountPlan | None
    last_review: datetime.date | None
    review_due: bool
    idle_days: int | None
    passive_limit: int | None

    @property
    def passive(self) -> bool:
        return (
            self.idle_days is not None
            and self.passive_limit is not None
            and self.idle_days > self.passive_limit
        )


def plan_rows(*, organisation: Organisation, today: datetime.date) -> list[PlanRow]:
    accounts = list(account_list(organisation=organisation))
    plans = {plan.account_id: plan for plan in AccountPlan.objects.filter(account__in=accounts)}
    last = dict(
        AccountReview.objects.filter(account__in=accounts)
        .values("account_id")
        .annotate(last=Max("reviewed_on"))
        .values_list("account_id", "last")
    )
    return [
        PlanRow(
            account=account,
            plan=plans.get(account.pk),
            last_review=last.get(account.pk),
            review_due=review_due(account, last.get(account.pk), today),
            idle_days=idle_days(account, today),
            passive_limit=passive_limit(account),
        )
        for account in accounts
    ]


def account_reviews(*, account: Account) -> list[AccountReview]:
    return list(AccountReview.objects.filter(account=account).select_related("reviewed_by"))
