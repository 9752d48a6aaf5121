from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator  # type: ignore[import-untyped]


class GroupsValidator(OAuth2Validator):  # type: ignore[misc]
    """Adds the claims a municipal provider sends: name, e-mail and the groups claim."""

    oidc_claim_scope = None  # every claim whatever the scope, like Entra ID's groups claim

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "groups": [group.name for group in user.groups.all()],
        }
