"""Reads of the organisation. Querysets come with what their pages need already joined."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet

from core.models import SignInEvent
from core.text import fold

from .models import (
    AuthorityCertificate,
    AuthorityProfile,
    Block,
    BlockMember,
    IssuedDocument,
    Membership,
    PersonEvent,
    PublishedFile,
    Unit,
    UnitEvent,
    UnitLevel,
    UnitLink,
)


def unit_subtree(unit_ids: Iterable[int]) -> QuerySet[Unit]:
    """The given units and every unit below them, in one tree query."""
    ids = list(unit_ids)
    if not ids:
        return Unit.objects.none()
    condition = Q()
    for unit_id in ids:
        condition |= Q(tree_path__contains=unit_id)
    return Unit.objects.with_tree_fields().filter(condition)


def unit_list(*, search: str = "", root_ids: Iterable[int] | None = None) -> QuerySet[Unit]:
    units = Unit.objects.with_tree_fields().select_related("kind", "successor")
    if root_ids is not None:
        units = units.filter(pk__in=unit_subtree(root_ids).values("pk"))
    if search.strip():
        units = units.search(search)
    return units


def blocks_within(root_ids: Iterable[int]) -> QuerySet[Block]:
    """Blocks with at least one unit, whose head unit and members all lie in the subtrees of
    `root_ids`: a block that reaches outside them belongs to another authority."""
    inside = unit_subtree(root_ids).values("pk")
    with_inside = BlockMember.objects.filter(unit__in=inside).values("block")
    with_outside = BlockMember.objects.exclude(unit__in=inside).values("block")
    return (
        Block.objects.filter(Q(pk__in=with_inside) | Q(head_unit__in=inside))
        .exclude(pk__in=with_outside)
        .exclude(Q(head_unit__isnull=False) & ~Q(head_unit__in=inside))
    )


def block_list(*, root_ids: Iterable[int] | None = None) -> QuerySet[Block]:
    """Every block, or (with `root_ids`) those within the subtrees of `root_ids`."""
    blocks = Block.objects.all() if root_ids is None else blocks_within(root_ids)
    return blocks.select_related("head_unit").prefetch_related("members")


def unit_detail(pk: int) -> Unit:
    """One unit with its kind and parent, for its page; raises Unit.DoesNotExist."""
    return Unit.objects.select_related("kind", "parent").get(pk=pk)


def unit_history(unit: Unit) -> tuple[list[UnitLink], list[UnitLink]]:
    """The unit's links: (what it came from, what it went on as), oldest first."""
    links = UnitLink.objects.select_related(
        "predecessor__kind", "successor__kind", "predecessor__parent", "successor__parent"
    ).order_by("effective_on", "pk")
    return (
        list(links.filter(successor=unit)),
        list(links.filter(predecessor=unit)),
    )


def unit_heads(unit_ids: Iterable[int]) -> QuerySet[User]:
    """The active heads of these units: who is told what became of their unit's papers."""
    return User.objects.filter(
        memberships__unit_id__in=list(unit_ids),
        memberships__role=Membership.Role.HEAD,
        is_active=True,
    ).distinct()


def authority_certificate(authority: Unit) -> AuthorityCertificate | None:
    """The authority's certificate as the profile page shows it (not the key)."""
    return (
        AuthorityCertificate.objects.filter(authority=authority)
        .defer("pkcs12", "sealed_password")
        .first()
    )


def published_file(code: str) -> PublishedFile | None:
    """An issued file by its verification code, with its authority and register line."""
    return (
        PublishedFile.objects.filter(code=code.lower())
        .select_related("authority", "document")
        .first()
    )


def authority_profile(authority: Unit) -> AuthorityProfile | None:
    """The authority's recorded profile with its signers, or None."""
    return (
        AuthorityProfile.objects.filter(authority=authority)
        .select_related("authority")
        .prefetch_related("signers")
        .first()
    )


def document_profile(unit: Unit | None) -> AuthorityProfile:
    """The profile a document of `unit` is headed with: the recorded one, else a stand-in (not
    saved) that writes the unit's own name in capitals under its parent's, with no signer and no
    short name, so the gap shows on the page instead of a guess."""
    if unit is None:
        return AuthorityProfile(issuing_body="", name="", code="", place_name="")
    profile = authority_profile(unit)
    if profile is not None:
        return profile
    return AuthorityProfile(
        authority=unit,
        parent_body=unit.parent.name.upper() if unit.parent else "",
        issuing_body=unit.name.upper(),
        name=unit.name,
        code="",
        place_name="",
    )


def managed_authorities(root_ids: Iterable[int] | None) -> QuerySet[Unit]:
    """The authorities whose profile and register a manager keeps: their own units (every unit
    with a profile, for a superuser's `None`)."""
    units = Unit.objects.select_related("kind", "profile").order_by("name")
    if root_ids is None:
        return units.filter(profile__isnull=False)
    return units.filter(pk__in=list(root_ids))


def province_of(unit: Unit | None) -> Unit | None:
    """The province a unit lies in: itself if it is one, else the nearest unit above it whose kind
    is of the province level (None if there is none up the chain)."""
    if unit is None:
        return None
    chain = Unit.objects.ancestors(unit, include_self=True)  # type: ignore[attr-defined]
    provinces = list(chain.filter(kind__level=UnitLevel.PROVINCE))  # root first
    return provinces[-1] if provinces else None


def register_of(authority: Unit, *, year: int | None = None) -> QuerySet[IssuedDocument]:
    """The authority's register, newest year first, then by type and number."""
    documents = IssuedDocument.objects.filter(authority=authority).select_related("issued_by")
    if year is not None:
        documents = documents.filter(year=year)
    return documents.order_by("-year", "doc_type", "-number")


def sign_in_events_within(root_ids: Iterable[int] | None) -> QuerySet[SignInEvent]:
    """The sign-in record of the people who are members of these units or of one below them,
    newest first; with None (a superuser), every event, those of unknown names included."""
    events = SignInEvent.objects.select_related("user").order_by("-at", "-pk")
    if root_ids is None:
        return events
    people = Membership.objects.filter(unit__in=unit_subtree(root_ids).values("pk"))
    return events.filter(user_id__in=people.values("user_id"))


def people_within(root_ids: Iterable[int] | None, *, actor: User) -> QuerySet[User]:
    """The accounts `actor` may manage (the one rule behind `units.rules.managed_person_ids`):
    with `root_ids` None (a superuser), every account but the superusers' and the actor's own;
    else those with a role in the subtrees of `root_ids` and none outside them, less the
    officers of the roots themselves (the actor's peers, whom the authority above manages)."""
    people = User.objects.filter(is_superuser=False).exclude(pk=actor.pk)
    if root_ids is None:
        return people
    roots = list(root_ids)
    inside = unit_subtree(roots).values("pk")
    return (
        people.filter(pk__in=Membership.objects.filter(unit__in=inside).values("user"))
        .exclude(pk__in=Membership.objects.exclude(unit__in=inside).values("user"))
        .exclude(
            pk__in=Membership.objects.filter(unit__in=roots, role=Membership.Role.OFFICER).values(
                "user"
            )
        )
    )


def person_list(root_ids: Iterable[int] | None, *, actor: User) -> QuerySet[User]:
    """The people page: the accounts `actor` may manage, with their roles per unit."""
    return (
        people_within(root_ids, actor=actor)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("unit").order_by("unit__name"),
            ),
            "groups",
        )
        .order_by("first_name", "username")
    )


def person_history(person: User) -> QuerySet[PersonEvent]:
    return PersonEvent.objects.filter(person=person).select_related("actor", "unit")


def person_search(people: QuerySet[User], text: str) -> QuerySet[User]:
    """Those of `people` whose name, username or e-mail address contains `text`, ignoring case
    and Vietnamese diacritics. Names are folded here, not in the database (SQLite and PostgreSQL
    without `unaccent` cannot): one query for an authority's few hundred accounts."""
    folded = fold(text)
    if not folded:
        return people
    rows = people.values_list("pk", "first_name", "last_name", "username", "email")
    return people.filter(
        pk__in=[
            pk for pk, *texts in rows.order_by() if any(folded in fold(value) for value in texts)
        ]
    )


def unit_events(unit: Unit) -> QuerySet[UnitEvent]:
    """Who created or changed the unit, newest first."""
    return UnitEvent.objects.filter(unit=unit).select_related("actor")
