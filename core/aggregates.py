"""Aggregates that Django offers for one database only, written for every database Samenlab runs on."""

from django.db.models import Aggregate, CharField


class JoinedIds(Aggregate):
    """The values of an integer column, joined with commas ("3,7,12"); NULL when there are none.

    PostgreSQL spells it ``STRING_AGG(x::text, ',')``, SQLite ``GROUP_CONCAT(x)``.
    """

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s((%(expressions)s)::text, ',')", **extra_context)


def split_ids(joined: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in (joined or "").split(",") if part)
