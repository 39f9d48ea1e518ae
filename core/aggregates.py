"""Aggregates that Django offers for one database only, written for every database Samenlab runs on."""

from django.db.models import Aggregate, CharField


class Joined(Aggregate):
    """The values of a column as one text, joined with the unit separator (a character no name or number
    contains); NULL when there are none. PostgreSQL spells it ``STRING_AGG(x::text, chr(31))``, SQLite
    ``GROUP_CONCAT(x, char(31))``. Read it back with ``split_ids`` or ``split_texts``."""

    function = "GROUP_CONCAT"
    output_field = CharField()
    SEPARATOR = "\x1f"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="%(function)s(%(expressions)s, char(31))",
                           **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s((%(expressions)s)::text, chr(31))", **extra_context)


def split_texts(joined: str | None) -> list[str]:
    return sorted(part for part in (joined or "").split(Joined.SEPARATOR) if part)


def split_ids(joined: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in split_texts(joined))
