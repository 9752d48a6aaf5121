from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from kanalvakt.organisations.models import (
    Country,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Unit,
    UnitKind,
    User,
)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("demo-lösenord-123")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Exempelkommun {n}")
    slug = factory.Sequence(lambda n: f"exempelkommun-{n}")
    kind = OrganisationKind.MUNICIPALITY
    country = Country.SWEDEN
    website = "https://www.example.se"
    switchboard = "0926-740 00"
    public_languages = factory.LazyFunction(lambda: ["sv"])


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = UnitKind.ADMINISTRATION


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ACCOUNT_OWNER
