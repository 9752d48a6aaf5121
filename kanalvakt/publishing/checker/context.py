"""What every rule function gets: the draft, the pack, and what is computed once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from kanalvakt.moderation.screening.normalise import Normalised, normalise
from kanalvakt.policies.pack import Pack, Rule
from kanalvakt.publishing.checker.findings import (
    AccountInfo,
    Clause,
    Draft,
    Finding,
    Severity,
)
from kanalvakt.publishing.checker.text import (
    Paragraph,
    paragraphs,
)


@dataclass
class Context:
    draft: Draft
    pack: Pack
    own_domains: list[str] = field(default_factory=list)

    @cached_property
    def parts(self) -> list[Paragraph]:
        return paragraphs(self.draft.text)

    @cached_property
    def normalised(self) -> Normalised:
        return normalise(self.draft.text)

    def texts(self) -> list[tuple[AccountInfo | None, str]]:
        """The post's text, and each account's own variant where it has one."""
        found: list[tuple[AccountInfo | None, str]] = [(None, self.draft.text)]
        found += [(account, account.text) for account in self.draft.accounts if account.text]
        return found


Check = Callable[[Context, Rule], list[Finding]]


def make_finding(
    rule: Rule,
    code: str,
    severity: Severity,
    message: str,
    fix: str,
    *,
    account: str = "",
    span: tuple[int, int] | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=message,
        fix=fix,
        clause=Clause.of(rule),
        account=account,
        start=span[0] if span else None,
        end=span[1] if span else None,
    )
