"""The duplicate rule's normalised name as a SQL expression, here so that the index on it
(`cases_young_name_norm`) and the queries that compare by it are built from one definition:
PostgreSQL uses an expression index only for the very same expression."""

from __future__ import annotations

from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower, Trim


def normalised_name(expression: object) -> Func:
    """A name as the duplicate rule compares it, in SQL: lower case, runs of spaces, hyphens
    and full stops made one space, trimmed ("Anne-Sofie  Hansen" = "anne sofie hansen")."""
    return Trim(
        Func(
            Lower(expression),
            Value(r"[\s.\-]+"),
            Value(" "),
            Value("g"),
            function="REGEXP_REPLACE",
            output_field=CharField(),
        )
    )
