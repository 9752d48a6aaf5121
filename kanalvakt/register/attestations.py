"""Rules a person confirms per account because Kanalvakt cannot see them (SEC-1).

Kanalvakt never sees passwords or who else runs pages, so where the pack asks
for a password unlike the network password, a different password for every
service, or no fake accounts, the account owner confirms it for each account.
The confirmation is a `ProfileCheck` under the rule's path; an account without
one warns amber, a confirmation that the rule is not met warns red.
"""

from __future__ import annotations

from kanalvakt.policies.display import label_for
from kanalvakt.policies.pack import Pack, Rule

ATTESTED_RULES = (
    "accounts.not_network_password",
    "accounts.unique_passwords",
    "accounts.no_fake_accounts",
)


def attested_rules(pack: Pack | None) -> list[Rule]:
    """The pack's rules among ATTESTED_RULES that it asks for (value true)."""
    if pack is None:
        return []
    found = [pack.rule(path) for path in ATTESTED_RULES]
    return [rule for rule in found if rule is not None and rule.value is True]


def attestation_label(rule: Rule) -> str:
    return label_for(rule.path)
