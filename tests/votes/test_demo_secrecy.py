"""After `seed_demo`, nothing in the database pairs a ballot of the demo's closed council session
with the receipt of the member who cast it: not a column, not the physical order of the rows
(ctid on PostgreSQL, rowid on SQLite), not the transaction (xmin) or the statement (cmin) that
wrote them. The demo votes one by one through the services, in a known order; the module seeds it
once (about 40 s) and rolls it back afterwards."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from pytest_django import DjangoDbBlocker

from devtools.demo import ABSENT_2019, CAMPAIGN_2019, COUNCIL_2019
from votes.models import Ballot, CouncilSession, SealedBox, VoteReceipt

pytestmark = pytest.mark.django_db

LETTER = {"yes": "y", "no": "n", "abstain": "a"}
CANONICAL = "yna"  # the close writes each nomination's ballots in this order of choices


@pytest.fixture(scope="module")
def closed(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[int]:
    """The demo, seeded by its command once for the module; yields the closed session's id."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield CouncilSession.objects.get(campaign__code=CAMPAIGN_2019, status="closed").pk
        transaction.set_rollback(True)  # leave the test database as it was


def votes_cast() -> list[tuple[str, str]]:
    """Who voted, in the order they voted, with one letter per nomination (in the order the demo
    creates them): the secretary (yes to all), the members present, then the written vote of
    the member who was absent."""
    present = [(username, letters) for username, _name, _role, letters in COUNCIL_2019]
    return [("council", "yyyy"), *present, (ABSENT_2019[0], ABSENT_2019[2])]


def physical(table: str, session_id: int) -> list[dict[str, Any]]:
    """The session's rows of `table` in their physical order, with the ids of the transaction and
    of the statement that wrote each one where the database has them (PostgreSQL)."""
    if connection.vendor == "postgresql":
        system = "t.ctid AS place, t.xmin::text::bigint AS xmin, t.cmin::text::bigint AS cmin"
    else:
        system = "t.rowid AS place, NULL AS xmin, NULL AS cmin"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {system}, t.* FROM {table} t"  # noqa: S608 - table names from this module
            " JOIN votes_nomination n ON n.id = t.nomination_id"
            " WHERE n.session_id = %s ORDER BY place",
            [session_id],
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_demo_ballots_carry_nothing_of_the_voter(closed: int) -> None:
    session = CouncilSession.objects.get(pk=closed)
    receipts = VoteReceipt.objects.filter(nomination__session=session)
    ballots = Ballot.objects.filter(nomination__session=session)
    assert ballots.count() == receipts.count() == (session.member_count or 0) * 4
    assert receipts.filter(written=True).exists()  # a written vote, invisible among the ballots
    assert {f.column for f in Ballot._meta.fields} == {"id", "nomination_id", "choice"}
    assert {key.version for key in ballots.values_list("id", flat=True)} == {4}  # random keys
    assert not SealedBox.objects.filter(nomination__session=session).exists()


def test_no_row_order_transaction_or_statement_pairs_a_demo_ballot_with_a_receipt(
    closed: int,
) -> None:
    ballots = physical("votes_ballot", closed)
    receipts = physical("votes_votereceipt", closed)
    usernames = dict(User.objects.values_list("pk", "username"))
    cast = votes_cast()
    nominations = sorted({row["nomination_id"] for row in receipts})

    def of(rows: list[dict[str, Any]], nomination: int) -> list[dict[str, Any]]:
        return [row for row in rows if row["nomination_id"] == nomination]

    guessed: dict[str, str] = {}  # each member's votes, if the n-th ballot were the n-th receipt's
    for i, nomination in enumerate(nominations):
        in_order = [usernames[row["user_id"]] for row in of(receipts, nomination)]
        assert in_order == [username for username, _letters in cast]  # receipts keep the order
        choices = "".join(LETTER[row["choice"]] for row in of(ballots, nomination))
        # ... the ballots do not: they come out yes, no, abstain, whoever cast them.
        assert choices == "".join(sorted((v[i] for _u, v in cast), key=CANONICAL.index))
        for username, letter in zip(in_order, choices, strict=True):
            guessed[username] = guessed.get(username, "") + letter
    assert guessed != dict(cast)
    assert [row["nomination_id"] for row in ballots] == sorted(r["nomination_id"] for r in ballots)

    if connection.vendor == "postgresql":
        receipt_xmins = {row["xmin"] for row in receipts}
        assert len(receipt_xmins) == len(receipts)  # each vote its own (sub)transaction
        assert len({row["xmin"] for row in ballots}) == 1  # every ballot written by the close
        assert not {row["xmin"] for row in ballots} & receipt_xmins
        assert len({row["cmin"] for row in ballots}) == 1  # in one statement
        assert not {row["cmin"] for row in ballots} & {row["cmin"] for row in receipts}
