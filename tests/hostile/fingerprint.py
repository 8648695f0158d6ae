"""A fingerprint of every domain table: row count and a hash of every row, in primary-key order.

The seeded world is a few hundred rows, so reading them all is cheaper than guessing which
columns move; it catches an update as well as an insert or a delete. The same on SQLite and
PostgreSQL (one SELECT per table).
"""

import functools
import hashlib

from django.apps import apps
from django.db import connection

# Sessions and login throttling (axes) change on purpose on a refused login; they are not domain.
DOMAIN_APPS = {
    "auth",
    "core",
    "notifications",
    "units",
    "campaigns",
    "assessments",
    "scoring",
    "votes",
}
# The sign-in record writes a row for a refused login or code on purpose (core.SignInEvent).
RECORDS_OF_REFUSALS = {"core_signinevent"}


@functools.cache
def domain_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every model of the domain apps, m2m tables included."""
    tables = {
        model._meta.db_table: model._meta.pk.column
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in DOMAIN_APPS
        and model._meta.managed
        and model._meta.db_table not in RECORDS_OF_REFUSALS
    }
    return sorted(tables.items())


def fingerprint() -> dict[str, tuple[int, str]]:
    """table -> (row count, md5 of its rows)."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, pk in domain_tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608
            # PostgreSQL returns a binary column as a memoryview, whose repr names its address.
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            digest = hashlib.md5(repr(rows).encode(), usedforsecurity=False).hexdigest()
            found[table] = (len(rows), digest)
    return found


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    """The tables whose rows differ, with their counts."""
    return [
        f"{table} ({before[table][0]} -> {after[table][0]} rows)"
        for table in before
        if before[table] != after[table]
    ]
