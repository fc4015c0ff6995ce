"""The national grid in the API (ADR 0308): ``GET /api/v1/performance/national-grid/?period=YYYY-MM``.

One row per trust the caller can see, each with a cell per KPI code, as the page shows it (``performance.grid``),
paginated. Sorted by trust with no RAG or received filter, the trusts are paged in the database and only the
page's series are read; the figures of the month of every trust are still read, in one query, for the quartiles.
Sorted by a KPI's value or RAG, or filtered, every trust's figures of the month are read (its order and its rows
are known only once every position is), paged here, and the SPC variation read for the page's rows only.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers

from trustgov.core.api import FigureField, ScopedViewSet
from trustgov.core.schema import choice_field

from . import grid, positions, spc

MONTH = r"^[12]\d{3}-(0[1-9]|1[0-2])$"
CELL_STATES = ["received", "not-received", "not-reported"]
ORDERINGS = [*grid.SORTS, *(f"-{s}" for s in grid.SORTS)]


def _params(query_params):
    """The page's parameters from the API's: ``ordering`` (the API's convention) is the page's sort and order."""
    params = query_params.copy()
    ordering = params.pop("ordering", [""])[-1]
    if ordering:
        if ordering not in ORDERINGS:
            raise serializers.ValidationError({"ordering": f"Order by one of {', '.join(ORDERINGS)}"})
        params["sort"], params["order"] = ordering.lstrip("-"), "desc" if ordering.startswith("-") else "asc"
    else:
        params.pop("sort", None)
        params.pop("order", None)
    return params


# One trust's row; the list is paged as every list is (drf-spectacular wraps it in count/next/previous/results).
NationalGridRowSerializer = inline_serializer(
    "NationalGridRow",
    {
        "trust": serializers.CharField(help_text="The trust's slug."),
        "name": serializers.CharField(),
        "council": serializers.CharField(allow_null=True, help_text="The trust's council's slug."),
        "period": serializers.RegexField(MONTH, help_text="The month of the grid."),
        "last_received": serializers.RegexField(
            MONTH, allow_null=True, help_text="The latest month the trust sent figures for (null: none)."
        ),
        "stale": serializers.BooleanField(
            help_text="The last month received is before the grid's month: every cell is not-received."
        ),
        "cells": inline_serializer(
            "NationalGridCell",
            {
                "kpi": serializers.CharField(help_text="The KPI code (the grid's column)."),
                "state": choice_field(
                    [(s, s) for s in CELL_STATES],
                    help_text="received; not-received (nothing from the trust for the month); not-reported "
                    "(the trust has no KPI with this code).",
                ),
                "unit": serializers.CharField(allow_null=True),
                "value": FigureField(max_digits=14, decimal_places=2, allow_null=True),
                "display": serializers.CharField(
                    help_text="The value with its unit as the page shows it, or why there is none."
                ),
                "rag": choice_field([(r, r) for r in grid.RAGS], allow_null=True),
                "provisional": serializers.BooleanField(help_text="A figure the council has not accepted."),
                "variation": choice_field(
                    [(s.value, s.value) for s in spc.Signal],
                    allow_null=True,
                    help_text="Statistical process control variation of the series up to the month.",
                ),
                "quartile": serializers.IntegerField(
                    allow_null=True,
                    help_text="1 (the best quarter) to 4 among the trusts with a figure for the KPI and "
                    "month; null with no figure or no other trust to rank against.",
                ),
            },
            many=True,
        ),
    },
    many=True,
)


def _cell(cell: grid.Cell) -> dict:
    p = cell.position
    return {
        "kpi": cell.code,
        "state": cell.state,
        "unit": cell.kpi.unit if cell.kpi else None,
        "value": None if p is None or p.value is None else str(p.value),
        "display": cell.value_label,
        "rag": cell.rag,
        "provisional": bool(p and p.provisional),
        "variation": cell.signal.value if cell.signal else None,
        "quartile": cell.quartile,
    }


def _row(row: grid.Row, period) -> dict:
    return {
        "trust": row.body.slug,
        "name": row.body.name,
        "council": row.body.council.slug if row.body.council_id else None,
        "period": f"{period:%Y-%m}" if period else None,
        "last_received": f"{row.last_received:%Y-%m}" if row.last_received else None,
        "stale": row.stale,
        "cells": [_cell(c) for c in row.cells],
    }


class NationalGridViewSet(ScopedViewSet):
    """Every trust the caller can see × every KPI for one month."""

    model = None  # rows are trusts, read through grid.grid_bodies (not a model's list: the coverage test skips it)
    filter_backends: list = []
    action_permissions = {"list": "performance.view_kpi"}
    cached_actions = ("list",)  # per data version (trustgov.core.versioned_cache)

    def get_queryset(self):
        return grid.grid_bodies(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, description="The month, YYYY-MM (default: the latest any trust sent).", pattern=MONTH
            ),
            OpenApiParameter("kpi", str, many=True, description="Only these KPI codes (repeat the parameter)."),
            OpenApiParameter(
                "rag",
                str,
                many=True,
                enum=list(grid.RAGS),
                description="Only trusts with a cell of one of these RAG statuses.",
            ),  # fmt: skip
            OpenApiParameter("received", str, enum=list(grid.RECEIVED), description="Only current or stale trusts."),
            OpenApiParameter(
                "ordering",
                str,
                enum=ORDERINGS,
                description="By trust (the default), a KPI's value or its RAG (red first); value and rag need "
                "sort_kpi; '-' reverses.",
            ),
            OpenApiParameter("sort_kpi", str, description="The KPI code sorted by."),
            OpenApiParameter(
                "figures",
                str,
                enum=["accepted", "all"],
                description="'accepted': only figures the council has accepted; 'all' (the default): every "
                "submitted figure, those not yet accepted with provisional true.",
            ),
            OpenApiParameter("page", int, description="A page number within the paginated result set."),
            OpenApiParameter("page_size", int, description="Number of results to return per page (at most 200)."),
        ],
        responses={200: NationalGridRowSerializer},
    )
    def list(self, request, *args, **kwargs):
        errors: dict[str, str] = {}
        only = False
        try:
            only = positions.accepted_only(request)
        except positions.FiguresChoiceError as exc:
            errors["figures"] = exc.message
        query = grid.GridQuery()
        try:
            query = grid.parse_query(_params(request.query_params))
        except grid.GridQueryError as exc:
            errors.update(exc.errors)
        if errors:
            raise serializers.ValidationError(errors)
        try:
            if query.sort == "trust" and not query.filtered:
                bodies = self.get_queryset()
                if query.order == "desc":
                    bodies = bodies.order_by("-name", "-pk")
                page = self.paginate_queryset(bodies)
                table = grid.read_grid(request.user, query, accepted_only=only, page=list(page))
                return self.get_paginated_response([_row(r, table.period) for r in table.rows])
            table = grid.read_grid(request.user, query, accepted_only=only, variation=False)
        except grid.GridQueryError as exc:
            raise serializers.ValidationError(exc.errors) from None
        page = grid.with_variation(table, self.paginate_queryset(table.rows))  # SPC for the page's rows only
        return self.get_paginated_response([_row(r, table.period) for r in page])
