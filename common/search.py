"""Case-insensitive "contains" search over several columns, fast on PostgreSQL and right on SQLite.

On PostgreSQL `icontains` is `UPPER(col) LIKE UPPER('%term%')`, which the trigram indexes on `UPPER(col)`
(`gin_trgm_ops`, pg_trgm; see the migrations that create them) answer without reading the table.
SQLite's LIKE folds ASCII only, so "шевч" would miss "Шевчук": there the search is a regular expression,
which SQLite runs through Python's `re` (Django registers it), folding every script's case.
"""

import re
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Q, QuerySet


def contains_any(queryset: QuerySet, fields: list[str], term: str) -> Q:
    """A Q matching the rows of `queryset` where any of `fields` contains `term`, ignoring case."""
    if connections[queryset.db].vendor == "postgresql":
        return reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields))
    pattern = re.escape(term)
    return reduce(or_, (Q(**{f"{field}__iregex": pattern}) for field in fields))
