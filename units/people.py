"""Writes to people: their accounts and their roles per unit. Every change goes through one of
these functions, which checks the actor's authority and writes the person's history line.

A manager acts on the accounts of their authority's subtree only (`units.rules.managed_person_ids`):
never a superuser, never their own account, never an officer of their own authority unit (that
role is given by the authority above). A person who leaves is deactivated, never deleted. A new
account has no usable password: its person sets one through the invitation link (core.invitations).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import history_record
from core.invitations import invitation_path
from core.workbooks import WorkbookFile
from notifications.services import notify

from .models import Membership, PersonEvent, Unit
from .people_sheet import PersonLine, check_people, read_people
from .roles import Role, role_group
from .rules import authority_root_ids, managed_person_ids, managed_unit_ids
from .services import require_authority

# The portal role (a Django group) each role in a unit gives.
ROLE_GROUPS: dict[str, str] = {
    Membership.Role.HEAD: Role.UNIT_HEAD,
    Membership.Role.STAFF: Role.UNIT_STAFF,
    Membership.Role.OFFICER: Role.CAMPAIGN_MANAGER,
}


def require_person_authority(actor: User | None, person: User) -> None:
    """The actor may manage `person`'s account (`actor` None is the system)."""
    if actor is not None and person.pk not in managed_person_ids(actor, [person.pk]):
        raise PermissionDenied(_("Tài khoản này nằm ngoài phạm vi bạn phụ trách."))


def officer_refusal(actor: User | None, unit: Unit, role: str) -> str | None:
    """Why the actor may not give `role` in `unit`, if they may not: the officer of their own
    authority unit is named by the authority above (a superuser names any)."""
    if actor is None or role != Membership.Role.OFFICER:
        return None
    roots = authority_root_ids(actor)
    if roots is not None and unit.pk in roots:
        return _("Chỉ cấp trên mới giao được vai trò cán bộ phụ trách thi đua của “%(unit)s”.") % {
            "unit": unit.name
        }
    return None


def _record(
    actor: User | None,
    person: User,
    action: str,
    *,
    unit: Unit | None = None,
    subject: str = "",
    old: str = "",
    new: str = "",
) -> PersonEvent:
    return history_record(
        PersonEvent,
        person=person,
        unit=unit,
        actor=actor,
        action=action,
        subject=subject,
        old=old,
        new=new,
    )


def _role_label(role: str) -> str:
    return str(Membership.Role(role).label) if role else ""


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str,
    unit: Unit,
    role: str,
    council_member: bool = False,
    invite: bool = True,
) -> User:
    """A new account with a first role in `unit` (which must lie in the actor's authority), and
    no usable password: it gets an invitation to set one (`invite`)."""
    require_authority(actor, [unit])
    refusal = officer_refusal(actor, unit, role)
    if refusal:
        raise ValidationError(refusal, code="officer_of_own_authority")
    person = _person_create(actor, username=username, full_name=full_name, email=email)
    _membership_set(actor, person, unit, role)
    if council_member:
        _council_set(actor, person, True)
    if invite:
        _invite(actor, person)
    return person


def _person_create(actor: User | None, *, username: str, full_name: str, email: str) -> User:
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("Tên đăng nhập “%(username)s” đã có.") % {"username": username}}
        )
    person = User(username=username, first_name=full_name.strip(), email=email.strip())
    person.set_unusable_password()
    person.full_clean()
    person.save()
    _record(actor, person, PersonEvent.Action.CREATE, subject=person.username, new=full_name)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User | None,
    person: User,
    full_name: str,
    email: str,
    council_member: bool | None = None,
) -> User:
    """Change a person's name, e-mail address and (unless None) their council membership."""
    require_person_authority(actor, person)
    _person_update(actor, person, full_name=full_name, email=email)
    if council_member is not None:
        _council_set(actor, person, council_member)
    return person


def _person_update(actor: User | None, person: User, *, full_name: str, email: str) -> bool:
    """False when the person already had these values."""
    wanted = {"first_name": full_name.strip(), "email": email.strip()}
    changed = {name: value for name, value in wanted.items() if getattr(person, name) != value}
    if not changed:
        return False
    old = {name: getattr(person, name) for name in changed}
    for name, value in changed.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=list(changed))
    for name, value in changed.items():
        _record(actor, person, PersonEvent.Action.UPDATE, subject=name, old=old[name], new=value)
    return True


def _council_set(actor: User | None, person: User, member: bool) -> None:
    group = role_group(Role.COUNCIL_MEMBER)
    if person.groups.filter(pk=group.pk).exists() == member:
        return
    if member:
        person.groups.add(group)
    else:
        person.groups.remove(group)
    labels = {True: _("Có"), False: _("Không")}
    _record(actor, person, PersonEvent.Action.COUNCIL, old=labels[not member], new=labels[member])


@transaction.atomic
def person_invite(*, actor: User | None, person: User) -> None:
    """Send (again) an invitation to set a password: a link that works once and expires after
    `PASSWORD_RESET_TIMEOUT`. Only an active account with an e-mail address is invited."""
    require_person_authority(actor, person)
    _invite(actor, person)


def _invite(actor: User | None, person: User) -> None:
    if not person.is_active:
        raise ValidationError(_("Tài khoản đã khóa: hãy mở lại trước khi mời."), code="inactive")
    if not person.email:
        raise ValidationError(
            _("Tài khoản chưa có địa chỉ thư điện tử để gửi lời mời."), code="no_email"
        )
    notify(
        users=[person],
        subject=_("Mời đặt mật khẩu cho tài khoản Cổng thi đua"),
        body=_(
            "Tên đăng nhập của bạn là %(username)s. Hãy mở liên kết dưới đây để đặt mật khẩu; "
            "liên kết chỉ dùng được một lần và có hạn."
        )
        % {"username": person.username},
        url=invitation_path(person),
    )
    _record(actor, person, PersonEvent.Action.INVITE, subject=person.email)


@transaction.atomic
def person_deactivate(*, actor: User | None, person: User) -> User:
    """Close the account of someone who left: they can no longer sign in (their open sessions
    end too); the account, its roles and its history stay. Twice changes nothing."""
    require_person_authority(actor, person)
    return _set_active(actor, person, False, PersonEvent.Action.DEACTIVATE)


@transaction.atomic
def person_reactivate(*, actor: User | None, person: User) -> User:
    """Open a closed account again, with the roles it had."""
    require_person_authority(actor, person)
    return _set_active(actor, person, True, PersonEvent.Action.REACTIVATE)


def _set_active(actor: User | None, person: User, active: bool, action: str) -> User:
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        _record(actor, person, action)
    return person


@transaction.atomic
def membership_set(*, actor: User | None, user: User, unit: Unit, role: str) -> Membership:
    """Give `user` the role `role` in `unit` (a person has one role per unit), and the portal
    role that goes with it. The unit and the person must lie in the actor's authority."""
    require_person_authority(actor, user)
    require_authority(actor, [unit])
    refusal = officer_refusal(actor, unit, role)
    if refusal:
        raise ValidationError(refusal, code="officer_of_own_authority")
    return _membership_set(actor, user, unit, role)


def _membership_set(actor: User | None, user: User, unit: Unit, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError(_("Vai trò “%(role)s” không hợp lệ.") % {"role": role})
    membership = Membership.objects.filter(user=user, unit=unit).first()
    old = membership.role if membership else ""
    if membership is None:
        membership = Membership.objects.create(user=user, unit=unit, role=role)
    elif old != role:
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        return membership
    user.groups.add(role_group(ROLE_GROUPS[role]))
    if old:
        _drop_group_if_unused(user, old)
    _record(
        actor,
        user,
        PersonEvent.Action.ROLE_SET,
        unit=unit,
        subject=unit.code,
        old=_role_label(old),
        new=_role_label(role),
    )
    return membership


def _drop_group_if_unused(user: User, role: str) -> None:
    """The portal role goes with the last role of its kind in a unit."""
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(role_group(ROLE_GROUPS[role]))


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    """Take a role in a unit away. A person keeps at least one role: one who left is
    deactivated instead, so that their history stays where it belongs."""
    person, unit = membership.user, membership.unit
    require_person_authority(actor, person)
    if not Membership.objects.filter(user=person).exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("Đây là vai trò cuối cùng của người này; nếu họ đã nghỉ, hãy khóa tài khoản."),
            code="last_role",
        )
    role = membership.role
    membership.delete()
    _drop_group_if_unused(person, role)
    _record(
        actor,
        person,
        PersonEvent.Action.ROLE_REMOVE,
        unit=unit,
        subject=unit.code,
        old=_role_label(role),
    )


# The `people` sheet ------------------------------------------------------------------------------


@dataclass
class PeopleImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    roles: int = 0  # roles given or changed
    invited: int = 0


def people_import(*, actor: User | None, workbook_file: WorkbookFile) -> PeopleImportSummary:
    """Create or update the accounts of a workbook's `people` sheet, keyed by username; all or
    nothing. Raises WorkbookError naming the sheet, row, column and reason of the first bad cell
    or the first row reaching outside the actor's authority. The same file twice changes nothing.
    """
    rows = read_people(workbook_file)  # reading the file stays outside the transaction
    with transaction.atomic():
        codes = {row.text("unit_code") for row in rows}
        units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        counts = people_upsert(actor=actor, lines=check_people(rows, set(units)), units=units)
    return PeopleImportSummary(
        created=counts["created:person"],
        updated=counts["updated:person"],
        unchanged=counts["unchanged:person"],
        roles=counts["created:membership"] + counts["updated:membership"],
        invited=counts["created:person"],
    )


@transaction.atomic
def people_upsert(
    *, actor: User | None, lines: list[PersonLine], units: dict[str, Unit]
) -> Counter[str]:
    """The bulk variant of `person_create`, `person_update` and `membership_set` for checked rows
    of a `people` sheet (`units`: every unit they name, by code). The actor's authority is checked
    for every row first: the first refused row refuses them all, naming sheet, row and column.
    Only what differs from what is stored is written; each new account is invited. Counts
    "created:person", "updated:person", "unchanged:person", "created:membership",
    "updated:membership"."""
    stored = {
        u.username: u for u in User.objects.filter(username__in={line.username for line in lines})
    }
    if actor is not None:
        _check_people_authority(actor, lines, units, stored)
    counts: Counter[str] = Counter()
    for username, person_lines in _by_username(lines).items():
        first = person_lines[0]
        person = stored.get(username)
        try:
            if person is None:
                person = _person_create(
                    actor, username=username, full_name=first.full_name, email=first.email
                )
                counts["created:person"] += 1
            elif _person_update(actor, person, full_name=first.full_name, email=first.email):
                counts["updated:person"] += 1
            else:
                counts["unchanged:person"] += 1
        except ValidationError as error:  # a username taken in another case, say
            raise first.row.error("username", " ".join(error.messages)) from None
        roles = dict(Membership.objects.filter(user=person).values_list("unit__code", "role"))
        for line in person_lines:
            if roles.get(line.unit_code) != line.role:
                counts[
                    "updated:membership" if line.unit_code in roles else "created:membership"
                ] += 1
                _membership_set(actor, person, units[line.unit_code], line.role)
        if username not in stored:
            _invite(actor, person)
    return counts


def _by_username(lines: Iterable[PersonLine]) -> dict[str, list[PersonLine]]:
    grouped: dict[str, list[PersonLine]] = {}
    for line in lines:
        grouped.setdefault(line.username, []).append(line)
    return grouped


def _check_people_authority(
    actor: User, lines: list[PersonLine], units: dict[str, Unit], stored: dict[str, User]
) -> None:
    """Two queries: the units the rows name and the stored accounts they name must be the
    actor's; the first row naming one that is not is refused."""
    allowed_units = managed_unit_ids(actor, [unit.pk for unit in units.values()])
    allowed_people = managed_person_ids(actor, [person.pk for person in stored.values()])
    for line in lines:
        person = stored.get(line.username)
        if person is not None and person.pk not in allowed_people:
            reason = _("tài khoản “%(username)s” nằm ngoài phạm vi bạn phụ trách.")
            raise line.row.error("username", reason % {"username": line.username})
        unit = units[line.unit_code]
        if unit.pk not in allowed_units:
            reason = _("đơn vị “%(code)s” nằm ngoài phạm vi bạn phụ trách.")
            raise line.row.error("unit_code", reason % {"code": line.unit_code})
        refusal = officer_refusal(actor, unit, line.role)
        if refusal:
            raise line.row.error("role", refusal)
