"""The case search, at a cost that does not grow with the number of cases the searcher sees
(issue 18).

A search is the case list narrowed by a condition: the name (trigram-indexed substring, or word
similarity so that a slightly misspelled name still matches), the group description, the birth
date, the case number and the concerns' text (Danish full-text index). The list is cut to a
page by walking each part of the visibility rule in date order
(`permissions.visible_case_parts`); a search cannot simply do the same, because a rare term
would make each walk read every case of its part to find nothing (2.8 s at 100,000 visible
cases), and as one query PostgreSQL joins every visible case to the matches (0.4–1.3 s).

So each part is first probed from the index side: each branch of the condition, restricted to
the part and answered by its own index, is read to at most `COUNT_CAP` + 1 rows, all in one
statement.

- Where no branch reaches the limit, the part's matches are those ids: its page is cut from
  them and its count is exact. The cost follows how many cases match, not how many are seen.
- Where one does, the term is common in the part, and a walk in date order finds a page of
  matches within its first rows: the part is walked like the list's, and the count says "more
  than 1.000", as the list's does.

The municipalities the user triages are probed first. When the term is common in one of them
the count is settled, and the grant parts (mostly cases in those same municipalities, e.g. the
school team's) are walked for the page without a probe of their own: probed, PostgreSQL walked
every grant of a consultant's groups to fill the limit (0.3 s at 18,000 grants).
`tests/cases/test_case_search.py` checks the parts against the one-query search.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from cases.models import Case, Concern
from ssp.pagination import COUNT_CAP


@dataclass(frozen=True)
class SearchParts:
    """The parts of a list for `ssp.pagination.keyset_page`, with their count capped at
    `COUNT_CAP` when a search has counted them (None: the paginator counts them)."""

    parts: list[QuerySet[Case]]
    count: int | None
    count_is_capped: bool


def parse_case_number(query: str) -> int | None:
    if query.isascii() and query.isdigit() and len(query) <= 9:
        return int(query)
    return None


def _text_match(query: str) -> QuerySet[Concern]:
    return Concern.objects.annotate(document=SearchVector("description", config="danish")).filter(
        document=SearchQuery(query, config="danish")
    )


def _name_match(query: str) -> Q:
    return Q(young_person__full_name__icontains=query) | Q(
        TrigramWordSimilar(Upper("young_person__full_name"), query.upper())
    )


def search_condition(query: str, *, born: date | None = None) -> Q:
    """The search as one condition on cases (a walk tests it row by row). A group case is
    found by its description, never by the names in it (rule S)."""
    condition = _name_match(query) | Q(subject_description__icontains=query)
    if born is not None:
        condition |= Q(young_person__birth_date=born)
    number = parse_case_number(query)
    if number is not None:
        condition |= Q(pk=number)
    return condition | Q(Exists(_text_match(query).filter(case=OuterRef("pk"))))


def _branches(part: QuerySet[Case], query: str, *, born: date | None) -> list[QuerySet[Case]]:
    """The condition's branches within `part`, each answered by one index."""
    branches = [
        part.filter(_name_match(query)),
        part.filter(subject_description__icontains=query),
        part.filter(pk__in=_text_match(query).values("case_id")),
    ]
    if born is not None:
        branches.append(part.filter(young_person__birth_date=born))
    number = parse_case_number(query)
    if number is not None:
        branches.append(part.filter(pk=number))
    return branches


def search_parts(
    parts: list[QuerySet[Case]], query: str, *, born: date | None = None, whole: int = 0
) -> SearchParts:
    """The search over the visible `parts` (see the module's text), with its count. The first
    `whole` parts are whole municipalities (the ones the user triages), probed first; when the
    term is common in one of them the count is settled ("more than 1.000") and the other parts
    (grants, mostly of cases in those same municipalities) are walked for the page like the
    list's, without a probe of their own."""
    probed = _probe(parts[:whole], query, born=born)
    settled = any(common for common, _found in probed)
    rest = parts[whole:]
    if settled:
        probed += [(True, set()) for _part in rest]
    else:
        probed += _probe(rest, query, born=born)
    searched = [
        part.filter(search_condition(query, born=born)) if common else _cases_among(found)
        for part, (common, found) in zip(parts, probed, strict=True)
        if common or found
    ]
    if settled or any(common for common, _found in probed):
        return SearchParts(searched, COUNT_CAP, True)
    matched = len(set().union(*(found for _common, found in probed)))
    return SearchParts(searched, min(matched, COUNT_CAP), matched > COUNT_CAP)


def _cases_among(ids: set[int]) -> QuerySet[Case]:
    """The cases of a probe's ids (up to `COUNT_CAP` per branch): one array parameter, not a
    placeholder per id, so composing, sending and planning the page costs the same for 1,000
    matches as for 10."""
    # The text is fixed; the ids are one bound parameter.
    return Case.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (sorted(ids),)))


def _probe(
    parts: list[QuerySet[Case]], query: str, *, born: date | None
) -> list[tuple[bool, set[int]]]:
    """For each part, (whether the term is common in it, the ids of its matches): each branch
    of the condition within each part is read to at most `COUNT_CAP` + 1 rows, all in one
    statement; a branch that reaches the limit makes the term common in its part."""
    tagged = [
        (index, branch)
        for index, part in enumerate(parts)
        for branch in _branches(part, query, born=born)
    ]
    cut = [
        branch.order_by()
        .annotate(tag=Value(tag, output_field=IntegerField()))
        .values_list("tag", "pk")[: COUNT_CAP + 1]
        for tag, (_index, branch) in enumerate(tagged)
    ]
    if not cut:
        return []
    rows = list(cut[0].union(*cut[1:], all=True)) if len(cut) > 1 else list(cut[0])
    found: list[set[int]] = [set() for _part in parts]
    for tag, pk in rows:
        found[tagged[tag][0]].add(pk)
    common = {
        tagged[tag][0]
        for tag, size in Counter(tag for tag, _pk in rows).items()
        if size > COUNT_CAP
    }
    return [(index in common, found[index]) for index in range(len(parts))]
