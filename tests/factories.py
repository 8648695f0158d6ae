"""factory_boy factories. Unit kinds and role groups come from the migrations."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import User

from campaigns.models import Campaign, Checklist, CouncilSeat, Criterion, Enrolment
from units.models import AuthorityProfile, Block, Membership, Unit, UnitKind
from units.roles import Role, role_group
from units.services import authority_profile_update


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for role in extracted or []:
            self.groups.add(role_group(role))


def kind(code: str) -> UnitKind:
    """A unit kind by code; transactional tests flush the migration's rows, so make it if gone."""
    found, _created = UnitKind.objects.get_or_create(code=code, defaults={"name": code})
    return found


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Số {n}")
    kind = factory.LazyFunction(lambda: kind("xa"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.HEAD


def manager_of(authority: Unit, **fields: object) -> User:
    """A campaign manager (officer) of `authority`: they manage its campaigns and its subtree."""
    user = UserFactory(roles=[Role.CAMPAIGN_MANAGER], **fields)
    MembershipFactory(user=user, unit=authority, role=Membership.Role.OFFICER)
    return user


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    code = factory.Sequence(lambda n: f"B{n:04d}")
    name = factory.Sequence(lambda n: f"Khối {n}")


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    name = "Bộ tiêu chí"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"C{n:04d}")
    title = factory.Sequence(lambda n: f"Phong trào {n}")
    authority = factory.SubFactory(UnitFactory, kind=factory.LazyFunction(lambda: kind("huyen")))
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)
    window_opens_on = datetime.date(2026, 11, 1)
    window_closes_on = datetime.date(2026, 11, 30)

    @factory.post_generation
    def with_checklist(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and self.checklist_id is None:
            self.checklist = Checklist.objects.create(name=self.title, campaign=self)
            self.save(update_fields=["checklist"])


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    code = factory.Sequence(lambda n: f"{n}")
    title = factory.Sequence(lambda n: f"Tiêu chí {n}")
    kind = "points"
    max_points = Decimal(10)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)


class CouncilSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSeat

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.COUNCIL_MEMBER])


def authority_profile_of(
    authority: Unit,
    *,
    head: str = "Nguyễn Văn An",
    deputies: tuple[str, ...] = ("Trần Văn Bình",),
    issuing_body: str = "ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG",
    name: str = "Ủy ban nhân dân xã Kiên Lương",
) -> AuthorityProfile:
    """The authority's profile (letterhead, UBND, Kiên Lương, a head and deputies), recorded
    through the service as the system."""
    return authority_profile_update(
        actor=None,
        authority=authority,
        issuing_body=issuing_body,
        name=name,
        code="UBND",
        place_name="Kiên Lương",
        head_name=head,
        deputy_names=list(deputies),
    )
