"""On PostgreSQL, after a session closes, nothing pairs a ballot with its voter's receipt:
not a column, not a transaction id (xmin), not the physical order (ctid)."""

import pytest
from django.db import connection

from votes.models import Ballot, SealedBox

from .conftest import make_council

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="xmin and ctid exist on PostgreSQL only"
    ),
]

CAST = "nyaynyy"  # one letter per member, cast in this order, one transaction each
CANONICAL = sorted(CAST, key="yna".index)  # the order the close writes: yes, no, abstain


def rows(table: str, columns: str = "") -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text::bigint, ctid::text {columns} FROM {table} ORDER BY ctid"  # noqa: S608
        )
        return cursor.fetchall()


@pytest.mark.usefixtures("catalogue")
def test_no_xmin_ctid_order_or_column_pairs_a_ballot_with_a_receipt() -> None:
    council = make_council(7)
    council.open()
    council.vote(CAST)
    receipts = rows("votes_votereceipt", ", user_id")
    assert len({xmin for xmin, *_ in receipts}) == len(CAST)  # one transaction per vote
    assert not rows("votes_ballot")  # while voting, no ballot exists at all
    council.close()

    ballots = rows("votes_ballot", ", choice")
    assert len(ballots) == len(CAST)
    assert len({xmin for xmin, *_ in ballots}) == 1  # all written by the close
    assert not {xmin for xmin, *_ in ballots} & {xmin for xmin, *_ in receipts}
    choices_by_ctid = ["yna"[["yes", "no", "abstain"].index(choice)] for *_, choice in ballots]
    assert choices_by_ctid == CANONICAL  # the order follows the counts, not the voters
    assert choices_by_ctid != list(CAST)
    assert not SealedBox.objects.exists()
    assert {f.column for f in Ballot._meta.fields} == {"id", "nomination_id", "choice"}
