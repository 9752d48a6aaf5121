"""The policy page, its versions and the acknowledgement button, scoped to the organisation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.organisations.models import User
from kanalvakt.organisations.services import organisation_select_policy
from kanalvakt.policies.models import PolicyAcknowledgement, PolicyVersion
from kanalvakt.policies.services import policy_version_load

AsUser = Callable[[User], Client]


@pytest.fixture
def in_force(world: OrganisationWorld, policy_dir: Path) -> PolicyVersion:
    version = policy_version_load(actor=None, path=policy_dir / "overkalix.yaml")
    organisation_select_policy(
        actor=world.comms_lead, organisation=world.organisation, policy_version=version
    )
    return version


def url(name: str, slug: str = "overkalix") -> str:
    return reverse(f"policies:{name}", kwargs={"slug": slug})


def test_the_policy_page_shows_every_rule_with_where_it_comes_from(
    world: OrganisationWorld, in_force: PolicyVersion, as_user: AsUser
) -> None:
    response = as_user(world.publisher).get(url("detail"))
    assert response.status_code == 200
    assert response.context["organisation"] == world.organisation
    page = response.content.decode()
    assert "Policy för sociala medier" in page
    assert "Kommunfullmäktige 2013-11-25" in page
    assert "Informationschefen (kommunchefen)" in page
    # A sourced rule: readable value, file, section and quote.
    assert "Olämpliga inlägg tas bort inom" in page
    assert "48 timmar" in page
    assert "avsnitt ”Gallra olämpliga inlägg”" in page
    assert "001_a3d89b8332877af7.txt" not in page  # the file name is for administrators
    assert "Lag (1998:112) om ansvar för elektroniska anslagstavlor 5 §" in page
    assert "Grund: policyn (inte ett lagkrav)" in page
    # A silent rule says so.
    assert "Policyn säger inget om detta" in page
    assert "Policyn säger inget om tvåstegsverifiering." in page
    # Silent rules with a value are shown as the organisation's default.
    assert "Organisationens standardvärde, inte policyns" in page
    # The unsupported list.
    assert "Det som Kanalvakt inte kan stödja" in page
    assert "Politiker ska tydligt ange" in page
    # Every section of the pack has a heading.
    for heading in ("Svarstider", "Moderering", "Diarieföring", "Konton", "Krav på kontots profil"):
        assert f">{heading}</h2>" in page
    # Nobody has acknowledged yet; the button is there.
    assert "Jag har läst policyn" in page
    assert "Ingen har bekräftat ännu." in page


def test_acknowledging_from_the_page(
    world: OrganisationWorld, in_force: PolicyVersion, as_user: AsUser
) -> None:
    client = as_user(world.publisher)
    response = client.post(url("acknowledge"))
    assert response.status_code == 302
    assert response["Location"] == url("detail")
    assert PolicyAcknowledgement.objects.filter(
        user=world.publisher, policy_version=in_force, organisation=world.organisation
    ).exists()
    page = client.get(url("detail")).content.decode()
    assert "Du bekräftade att du läst policyn" in page
    assert "Jag har läst policyn" not in page
    assert "Har bekräftat (1)" in page
    assert "Har inte bekräftat (7)" in page
    # Clicking again changes nothing.
    client.post(url("acknowledge"))
    assert PolicyAcknowledgement.objects.count() == 1


def test_acknowledging_needs_post(
    world: OrganisationWorld, in_force: PolicyVersion, as_user: AsUser
) -> None:
    assert as_user(world.publisher).get(url("acknowledge")).status_code == 405
    assert PolicyAcknowledgement.objects.count() == 0


def test_the_versions_page_lists_decision_and_owner(
    world: OrganisationWorld, in_force: PolicyVersion, as_user: AsUser
) -> None:
    response = as_user(world.comms_lead).get(url("versions"))
    assert response.status_code == 200
    assert response.context["organisation"] == world.organisation
    page = response.content.decode()
    assert "Kommunfullmäktige 2013-11-25" in page
    assert "Informationschefen (kommunchefen)" in page
    assert "Gäller nu" in page


def test_without_a_policy_the_page_says_so(world: OrganisationWorld, as_user: AsUser) -> None:
    client = as_user(world.comms_lead)
    assert "Ingen policy är vald" in client.get(url("detail")).content.decode()
    response = client.post(url("acknowledge"), follow=True)
    assert "Ingen policy är vald" in response.content.decode()
    assert PolicyAcknowledgement.objects.count() == 0


@pytest.mark.parametrize("name", ["detail", "versions", "acknowledge"])
def test_another_organisation_gets_404(
    name: str, world: OrganisationWorld, in_force: PolicyVersion, outsider: User, as_user: AsUser
) -> None:
    client = as_user(outsider)
    response = client.post(url(name)) if name == "acknowledge" else client.get(url(name))
    assert response.status_code == 404
    assert PolicyAcknowledgement.objects.count() == 0


@pytest.mark.parametrize("name", ["detail", "versions"])
def test_anonymous_visitors_are_sent_to_log_in(
    name: str, world: OrganisationWorld, in_force: PolicyVersion, client: Client
) -> None:
    response = client.get(url(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_every_pack_renders(world: OrganisationWorld, policy_dir: Path, as_user: AsUser) -> None:
    client = as_user(world.comms_lead)
    for pack in ("skelleftea-kraft", "overkalix", "degerfors", "kyrkslatt", "exempel"):
        version = policy_version_load(actor=None, path=policy_dir / f"{pack}.yaml")
        organisation_select_policy(
            actor=world.comms_lead, organisation=world.organisation, policy_version=version
        )
        response = client.get(url("detail"))
        assert response.status_code == 200, pack
        page = response.content.decode()
        assert version.title in page
        assert "{organisation}" not in page  # placeholders are shown readably
        if pack == "degerfors":
            assert "Svarstid på X (Twitter)" in page
            assert "inom 4 timmar räknat i arbetstid" in page
            assert "inom 24 timmar räknat på vardagar" in page
        if pack == "kyrkslatt":
            assert "så snabbt som möjligt" in page
            assert "Kiitos palautteestasi!" in page
            assert "#kirkkonummi #kyrkslätt #yhdessätillsammans" in page


def test_pack_text_is_escaped(world: OrganisationWorld, as_user: AsUser) -> None:
    version = PolicyVersion.objects.create(
        pack_id="evil",
        version="1",
        title="<script>alert(1)</script>",
        organisation_name="X",
        document={
            "pack": "evil",
            "country": "SE",
            "source": {"file": "x.txt"},
            "rules": {"listening": {"enabled": {"silent": "<b>fet</b>"}}},
            "unsupported": [],
        },
        sha256="0" * 64,
    )
    organisation_select_policy(
        actor=world.comms_lead, organisation=world.organisation, policy_version=version
    )
    page = as_user(world.comms_lead).get(url("detail")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;fet&lt;/b&gt;" in page


def test_the_organisations_choice_of_review_by_the_learned_scorer_is_shown(
    world: OrganisationWorld, policy_dir: Path, as_user: AsUser, tmp_path: Path
) -> None:
    text = (policy_dir / "overkalix.yaml").read_text(encoding="utf-8")
    choice = "    learned_review:\n      silent: Organisationens val.\n      value: fewer\n"
    (tmp_path / "overkalix.yaml").write_text(
        text.replace("  moderation:\n", "  moderation:\n" + choice, 1), encoding="utf-8"
    )
    version = policy_version_load(actor=None, path=tmp_path / "overkalix.yaml")
    organisation_select_policy(
        actor=world.comms_lead, organisation=world.organisation, policy_version=version
    )
    page = as_user(world.publisher).get(url("detail")).content.decode()
    assert "Maskinens egna förslag om granskning" in page
    assert "färre: bara där modellen är säkrare" in page
