"""What the draft checker works on and what it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kanalvakt.policies.pack import Rule


class Severity(StrEnum):
    BLOCK = "block"
    """The post cannot be published until this is fixed."""
    REVIEW = "review"
    """A person must look at it; publishing is allowed."""
    ADVICE = "advice"
    """Information, e.g. a readability score within the limit or a suggestion."""


@dataclass(frozen=True)
class Clause:
    """Where a finding comes from: a pack rule (file, section, quote) or a platform's rules."""

    path: str
    file: str = ""
    section: str = ""
    quote: str = ""
    note: str = ""

    @classmethod
    def of(cls, rule: Rule) -> Clause:
        if rule.source is None:
            return cls(path=rule.path, note=rule.note)
        return cls(
            path=rule.path,
            file=rule.source.file,
            section=rule.source.section,
            quote=rule.source.quote,
            note=rule.note,
        )


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    fix: str
    clause: Clause
    account: str = ""
    start: int | None = None
    end: int | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK


@dataclass(frozen=True)
class MediaInfo:
    kind: str  # image | video
    name: str = ""
    alt_text: str = ""
    rights_confirmed: bool = False
    rights_holder: str = ""
    has_captions: bool = False
    accompanying_text: str = ""


@dataclass(frozen=True)
class AccountInfo:
    label: str
    platform: str
    main: bool = False
    text: str = ""
    """The account's own variant of the text; empty = the post's text."""


@dataclass(frozen=True)
class Draft:
    text: str
    link: str = ""
    media: tuple[MediaInfo, ...] = ()
    accounts: tuple[AccountInfo, ...] = ()
    people: str = "none"  # none | adults | children
    consent_recorded: bool = False
    other_language_separately: bool = False
    web_news: bool = False
    organisation: str = ""
    writer: str = ""
    reply: bool = False
    """A reply in the inbox: the rules for replies only (signature added on sending)."""


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    """Pack paths the checker applied."""
    silent: list[Rule] = field(default_factory=list)
    """Rules of the pack that say nothing, so nothing is checked for them."""
    scores: dict[str, float] = field(default_factory=dict)
    no_pack: bool = False

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocks]

    @property
    def ok(self) -> bool:
        return not self.blocking
