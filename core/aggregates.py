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


class JoinedTexts(Aggregate):
    """The values of a text column, joined with the unit separator (a character no name contains)."""

    function = "GROUP_CONCAT"
    output_field = CharField()
    SEPARATOR = "\x1f"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="%(function)s(%(expressions)s, char(31))",
                           **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s(%(expressions)s, chr(31))", **extra_context)


def split_texts(joined: str | None) -> list[str]:
    return sorted(part for part in (joined or "").split(JoinedTexts.SEPARATOR) if part)


def split_ids(joined: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in (joined or "").split(",") if part)
