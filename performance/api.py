"""Performance API: catalogue, targets, benchmarks, returns (with versions) and series.

Reads go through the scoping functions; a trust's system POSTs a return, which goes through
the same ``return_record`` service as the web form and the spreadsheet upload.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from trustgov.core.api import FigureField, RejectUnknownFieldsMixin, ScopedReadOnlyViewSet
from trustgov.core.dates import parse_month
from trustgov.core.filters import PERIOD_PATTERN as PERIOD
from trustgov.core.filters import period_range
from trustgov.core.pagination import BulkPagination
from trustgov.core.replica import national_read
from trustgov.core.schema import choice_field
from trustgov.core.scoping import visible
from trustgov.organisations.models import DeliveryBody

from . import services, spc
from .grid_api import NationalGridViewSet
from .models import (
    Benchmark,
    ImprovementAction,
    ImprovementPriority,
    Kpi,
    KpiBaseline,
    KpiDefinition,
    MonthlyReturn,
    OfstedEvent,
    QueryMessage,
    ReturnQuery,
    ReturnValue,
    ReturnVersion,
    StatisticalNeighbourList,
    Target,
    TrajectoryMilestone,
)
from .positions import (
    FiguresChoiceError,
    accepted_only,
    is_provisional,
    limit_figure,
    read_positions,
    version_accepted,
)


class KpiDefinitionSerializer(serializers.ModelSerializer):
    effective_from = serializers.DateField(format="%Y-%m", allow_null=True, read_only=True)

    class Meta:
        model = KpiDefinition
        fields = ["effective_from", "definition", "numerator_definition", "denominator_definition", "reason"]


class KpiBaselineRecordSerializer(serializers.ModelSerializer):
    effective_from = serializers.DateField(format="%Y-%m", read_only=True)

    class Meta:
        model = KpiBaseline
        fields = ["effective_from", "reason", "note"]


class KpiSerializer(serializers.ModelSerializer):
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    priority = serializers.SerializerMethodField()
    priority_id = serializers.IntegerField(read_only=True, allow_null=True)
    definitions = KpiDefinitionSerializer(many=True, read_only=True)
    baseline_recalculations = KpiBaselineRecordSerializer(
        source="baselines",
        many=True,
        read_only=True,
        help_text="Months the statistical process control baseline is recalculated from (a new contract, a service "
        "change); each definition change recalculates it too.",
    )

    class Meta:
        model = Kpi
        fields = [
            "id",
            "delivery_body",
            *(f for f in services.KPI_FIELDS if f != "display_order"),
            "priority_id",
            "retired_from",
            "definitions",
            "baseline_recalculations",
            "updated_at",
        ]

    def get_priority(self, obj) -> str | None:
        return obj.priority.title if obj.priority else None


class KpiCodedSerializer(serializers.ModelSerializer):
    """A record of one KPI, which it names by code."""

    kpi = serializers.SlugRelatedField(slug_field="code", read_only=True)


class TargetSerializer(KpiCodedSerializer):
    financial_year_label = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = ["id", "kpi", "financial_year", "financial_year_label", "value", "amber_tolerance", "updated_at"]


class BenchmarkFigureSerializer(serializers.Serializer):
    la_code = serializers.CharField(help_text="Three-digit DfE LA number or nine-character ONS code.")
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    value = serializers.CharField(
        max_length=20, help_text="A number, or a suppression code (c, k, u, x, z) kept as the code, never as zero."
    )


class BenchmarkSerializer(KpiCodedSerializer):
    figures = BenchmarkFigureSerializer(many=True, read_only=True)

    class Meta:
        model = Benchmark
        fields = [
            "id",
            "kpi",
            "kind",
            "year",
            "value",
            "code",
            "lower_quartile",
            "upper_quartile",
            "figures_used",
            "figures_excluded",
            "figures",
            "neighbour_list",
            "source",
            "updated_at",
        ]


class NeighbourSerializer(serializers.Serializer):
    la_code = serializers.CharField(max_length=12, help_text="Three-digit DfE LA number or nine-character ONS code.")
    name = serializers.CharField(max_length=100)


class NeighbourListSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    neighbours = NeighbourSerializer(many=True, read_only=True)

    class Meta:
        model = StatisticalNeighbourList
        fields = ["id", "council", "year", "source", "neighbours", "updated_at"]


class ReturnValueSerializer(KpiCodedSerializer):
    provisional = serializers.SerializerMethodField(
        help_text="True unless the council accepted the return with this version: a figure submitted, queried or "
        "resubmitted, or one of a version the council did not accept, is provisional (as on the KPI's series)."
    )

    class Meta:
        model = ReturnValue
        fields = ["kpi", "value", "numerator", "denominator", "commentary", "provisional"]

    def get_provisional(self, obj) -> bool:
        accepted = version_accepted(obj.version_id, self.context.get("accepted_version_id"))
        return is_provisional(obj.value, accepted=accepted)


class ReturnVersionSerializer(serializers.ModelSerializer):
    values = ReturnValueSerializer(many=True, read_only=True)
    signed_off_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReturnVersion
        fields = ["number", "reason", "channel", "submitted_at", "signed_off_by", "signed_off_name", "values"]


class MonthlyReturnSerializer(serializers.ModelSerializer):
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.DateField(format="%Y-%m")
    versions = serializers.SerializerMethodField()
    late = serializers.BooleanField(read_only=True)

    class Meta:
        model = MonthlyReturn
        fields = [
            "id",
            "delivery_body",
            "period",
            "status",
            "due_date",
            "late",
            "first_submitted_at",
            "accepted_at",
            "versions",
            "updated_at",
        ]

    @extend_schema_field(ReturnVersionSerializer(many=True))
    def get_versions(self, obj) -> list[dict]:
        user = self.context["request"].user
        versions = [v for v in obj.versions.all() if v.submitted_at or user.delivery_body_id == obj.delivery_body_id]
        # One versions serializer for the whole page: building a ModelSerializer's fields costs more than writing
        # a version's hundred figures, and a page of 200 returns built them 400 times (issue 14). The return's
        # accepted version, which says which figures are provisional, is set in its context for each return.
        serializer = getattr(self, "_versions", None)
        if serializer is None:
            serializer = self._versions = ReturnVersionSerializer(many=True, context=dict(self.context))
        serializer._context["accepted_version_id"] = obj.accepted_version_id
        return serializer.to_representation(versions)


class FiguresInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kpi = serializers.CharField(help_text="The KPI code, e.g. 'RR'.")
    value = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    numerator = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    denominator = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    commentary = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnInput(RejectUnknownFieldsMixin, serializers.Serializer):
    delivery_body = serializers.SlugField(help_text="The trust's slug.")
    period = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", help_text="The month, YYYY-MM.")
    values = FiguresInput(many=True, allow_empty=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False)


MONTH = r"^[12]\d{3}-(0[1-9]|1[0-2])$"


def _month_field(**kwargs):
    kwargs.setdefault("help_text", "A month, YYYY-MM.")
    return serializers.RegexField(MONTH, **kwargs)


class KpiInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """A KPI in a trust's catalogue. A change to its definition takes effect from ``definition_effective_from``."""

    delivery_body = serializers.SlugField(help_text="The trust's slug (on create only).")
    code = serializers.SlugField(max_length=30)
    title = serializers.CharField(max_length=200)
    definition = serializers.CharField()
    unit = serializers.ChoiceField(choices=Kpi.Unit.choices)
    polarity = serializers.ChoiceField(choices=Kpi.Polarity.choices)
    frequency = serializers.ChoiceField(choices=Kpi.Frequency.choices, required=False)
    numerator_definition = serializers.CharField(max_length=300, required=False, allow_blank=True)
    denominator_definition = serializers.CharField(max_length=300, required=False, allow_blank=True)
    data_source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    priority = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, help_text="An improvement priority's id."
    )
    contractual = serializers.BooleanField(required=False, help_text="Contractual (true) or monitoring only.")
    formal_reporting_start = _month_field(required=False, allow_null=True)
    display_order = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    definition_effective_from = _month_field(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class KpiRetireInput(RejectUnknownFieldsMixin, serializers.Serializer):
    retired_from = _month_field(help_text="The first month no longer reported, YYYY-MM.")


class KpiBaselineInput(RejectUnknownFieldsMixin, serializers.Serializer):
    effective_from = _month_field(help_text="The first month of the new baseline, YYYY-MM.")
    reason = serializers.ChoiceField(choices=KpiBaseline.Reason.choices)
    note = serializers.CharField(help_text="What changed from that month.")


class TargetInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kpi = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The KPI's id (on create only).")
    financial_year = serializers.IntegerField(min_value=2000, max_value=2100)
    value = FigureField(max_digits=12, decimal_places=2)
    amber_tolerance = FigureField(max_digits=12, decimal_places=2, min_value=0, required=False)


class BenchmarkInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kpi = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The KPI's id (on create only).")
    kind = serializers.ChoiceField(choices=Benchmark.Kind.choices)
    year = serializers.RegexField(r"^\d{4}(-\d{2})?$", help_text="e.g. 2024 or 2024-25")
    value = FigureField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="England: the figure; region or statistical neighbours: the median. Omit with `code` or `figures`.",
    )
    code = serializers.ChoiceField(
        choices=Benchmark.Code.choices, required=False, allow_blank=True, help_text="A suppression code instead."
    )
    lower_quartile = FigureField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    upper_quartile = FigureField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    figures_used = serializers.IntegerField(min_value=1, max_value=200, required=False, allow_null=True)
    figures = BenchmarkFigureSerializer(
        many=True,
        required=False,
        max_length=200,
        help_text="Each authority's figure: the median and quartiles are computed from them (codes excluded).",
    )
    source = serializers.CharField(max_length=300)


class NeighbourListInput(RejectUnknownFieldsMixin, serializers.Serializer):
    year = serializers.RegexField(r"^\d{4}(-\d{2})?$", help_text="The tool's year, e.g. 2024")
    source = serializers.CharField(max_length=300)
    neighbours = NeighbourSerializer(many=True, max_length=50, help_text="The 10 nearest, nearest first.")


def _as_month(raw):
    return _month(raw, "month") if raw else None


def _valid_input(input_class, request, *, partial=False) -> dict:
    serializer = input_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


SPC_LIMIT = {"max_digits": 16, "decimal_places": 2, "allow_null": True}
# The statistical process control vocabularies, each one named enum in the schema (ENUM_NAME_OVERRIDES).
SPC_SIGNALS = [s.value for s in spc.Signal]
SPC_ASSURANCES = [a.value for a in spc.Assurance]
SPC_RULES = [r.value for r in spc.PRECEDENCE]
KpiBaselineSerializer = inline_serializer(
    "KpiSpcBaseline",
    {
        "baseline_from": serializers.RegexField(r"^\d{4}-\d{2}$", help_text="The first month of the baseline."),
        "points": serializers.IntegerField(help_text="Figures in the baseline (limits need at least 15)."),
        "recalculated": serializers.BooleanField(help_text="Recalculated from this month (a break in the chart)."),
        "mean": FigureField(**SPC_LIMIT),
        "upper_limit": FigureField(**SPC_LIMIT),
        "lower_limit": FigureField(**SPC_LIMIT),
    },
    many=True,
)
KpiSeriesSerializer = inline_serializer(
    "KpiSeries",
    {
        "kpi": serializers.CharField(),
        "trust": serializers.CharField(),
        "unit": serializers.CharField(),
        "mean": FigureField(
            **SPC_LIMIT,
            help_text="Statistical process control (ADR 0305): the centre line of the latest figure's baseline, "
            "to two decimal places; null with fewer than 15 figures in it.",
        ),
        "upper_limit": FigureField(**SPC_LIMIT, help_text="The mean + 2.66 x the mean moving range (null: no limits)."),
        "lower_limit": FigureField(**SPC_LIMIT, help_text="The mean - 2.66 x the mean moving range (null: no limits)."),
        "baseline_from": serializers.RegexField(
            r"^\d{4}-\d{2}$",
            allow_null=True,
            help_text="The month the latest baseline starts: the first figure, or the month it was recalculated "
            "from (a definition change).",
        ),
        "variation": choice_field(
            [(s, s) for s in SPC_SIGNALS],
            help_text="The latest figure's signal: common cause, special cause improving or concerning (polarity "
            "decides which), or no_limits with fewer than 15 figures in its baseline.",
        ),
        "assurance": choice_field(
            [(a, a) for a in SPC_ASSURANCES],
            help_text="Where the latest figure's target lies against the process limits: consistently passing "
            "(beyond the limit on the failing side), consistently failing (beyond it on the passing side), hit and "
            "miss (between them), no_target or no_limits.",
        ),
        "baselines": KpiBaselineSerializer,
        "points": inline_serializer(
            "KpiSeriesPoint",
            {
                "period": serializers.RegexField(r"^\d{4}-\d{2}$"),
                "value": FigureField(max_digits=14, decimal_places=2),
                "numerator": FigureField(max_digits=14, decimal_places=2, allow_null=True),
                "denominator": FigureField(max_digits=14, decimal_places=2, allow_null=True),
                "version": serializers.IntegerField(),
                "status": serializers.CharField(),
                "rag": serializers.ChoiceField(choices=["green", "amber", "red", "grey"]),
                "provisional": serializers.BooleanField(help_text="Not yet accepted by the council."),
                "display": serializers.CharField(help_text="The value with its unit, as every screen shows it."),
                "signal": choice_field(
                    [(s, s) for s in SPC_SIGNALS],
                    help_text="This figure's statistical process control signal (computed over the whole series "
                    "to the last month asked for, not only the months listed).",
                ),
                "rule": choice_field(
                    [(r, r) for r in SPC_RULES],
                    allow_null=True,
                    help_text="The special-cause rule that gave the signal, the first met in this order: "
                    "outside_limits, two_of_three, shift, trend (null for common cause).",
                ),
            },
            many=True,
        ),
    },
)


def _figure(value) -> str | None:
    return None if value is None else str(value)


KPI_RAG_FIELDS = {
    "trust": serializers.CharField(),
    "kpi": serializers.CharField(),
    "title": serializers.CharField(),
    "unit": serializers.CharField(),
    "period": serializers.RegexField(r"^\d{4}-\d{2}$"),
    "value": FigureField(max_digits=14, decimal_places=2, allow_null=True),
    "target": FigureField(max_digits=14, decimal_places=2, allow_null=True),
    "rag": serializers.ChoiceField(choices=["green", "amber", "red", "grey"]),
    "version": serializers.IntegerField(allow_null=True),
    "provisional": serializers.BooleanField(help_text="A figure the council has not yet accepted."),
    "display": serializers.CharField(help_text="The value with its unit, as every screen shows it ('' with none)."),
}
RAG_SEVERITY = {"red": 0, "amber": 1, "green": 2, "grey": 3}
# The orderings the database sorts and pages (a KPI's trust and code are columns); RAG is computed, so by RAG the
# month is read whole and sorted here.
RAG_DATABASE_ORDERINGS = {"trust": ("delivery_body__slug", "code"), "kpi": ("code", "delivery_body__slug")}
RAG_ORDERINGS = {
    "trust": lambda r: (r["trust"], r["kpi"]),
    "kpi": lambda r: (r["kpi"], r["trust"]),
    "rag": lambda r: (RAG_SEVERITY[r["rag"]], r["trust"], r["kpi"]),
}
# One page of rows, in the shape of every paginated list.
KpiRagPageSerializer = inline_serializer(
    "KpiRagPage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": inline_serializer("KpiRag", KPI_RAG_FIELDS, many=True),
    },
)


class KpiViewSet(ScopedReadOnlyViewSet):
    """The KPI catalogue. A council officer POSTs a KPI and PATCHes it (through the catalogue services)."""

    model = Kpi
    serializer_class = KpiSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    cached_actions = ("series", "rag")  # per data version (trustgov.core.versioned_cache)

    @property
    def paginator(self):
        """The RAG list's rows are small and pulled whole by the DfE: its pages go up to 5,000 (ADR 0016)."""
        if not hasattr(self, "_paginator"):
            self._paginator = BulkPagination() if self.action == "rag" else super().paginator
        return self._paginator

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("definitions", "baselines")
        trust = self.request.query_params.get("trust")
        return qs.filter(delivery_body__slug=trust) if trust else qs

    @extend_schema(request=KpiInput, responses={201: KpiSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid_input(KpiInput, request)
        body = get_object_or_404(visible(DeliveryBody, request.user), slug=data.pop("delivery_body"))
        data.pop("definition_effective_from", None)
        data.pop("reason", None)
        if "formal_reporting_start" in data:
            data["formal_reporting_start"] = _as_month(data["formal_reporting_start"])
        kpi = services.kpi_create(user=request.user, delivery_body=body, **data)
        return Response(KpiSerializer(self.get_queryset().get(pk=kpi.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=KpiInput, responses={200: KpiSerializer})
    def partial_update(self, request, *args, **kwargs):
        kpi = self.get_object()
        data = _valid_input(KpiInput, request, partial=True)
        if "delivery_body" in data:
            raise serializers.ValidationError({"delivery_body": "A KPI stays with its trust: add a new KPI instead"})
        if "formal_reporting_start" in data:
            data["formal_reporting_start"] = _as_month(data["formal_reporting_start"])
        effective = _as_month(data.pop("definition_effective_from", None))
        kpi = services.kpi_update(
            user=request.user, kpi=kpi, definition_effective_from=effective, reason=data.pop("reason", ""), **data
        )
        return Response(KpiSerializer(self.get_queryset().get(pk=kpi.pk)).data)

    @extend_schema(request=KpiRetireInput, responses={200: KpiSerializer})
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the KPI from a month: it is no longer reported; its returns and history stay."""
        kpi = self.get_object()
        data = _valid_input(KpiRetireInput, request)
        kpi = services.kpi_retire(user=request.user, kpi=kpi, retired_from=_as_month(data["retired_from"]))
        return Response(KpiSerializer(self.get_queryset().get(pk=kpi.pk)).data)

    @extend_schema(request=KpiBaselineInput, responses={201: KpiSerializer})
    @action(detail=True, methods=["post"], url_path="recalculate-baseline")
    def recalculate_baseline(self, request, pk=None):
        """Recalculate the KPI's statistical process control baseline from a month (a new contract, a service
        change): the series' mean and process limits are computed afresh from it (ADR 0305)."""
        kpi = self.get_object()
        data = _valid_input(KpiBaselineInput, request)
        services.kpi_baseline_recalculate(
            user=request.user, kpi=kpi, effective_from=_as_month(data.pop("effective_from")), **data
        )
        return Response(KpiSerializer(self.get_queryset().get(pk=kpi.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First month (YYYY-MM) or date (YYYY-MM-DD).", pattern=PERIOD),
            OpenApiParameter("to", str, description="Last month (YYYY-MM) or date (YYYY-MM-DD).", pattern=PERIOD),
            OpenApiParameter(
                "figures",
                str,
                enum=["accepted", "all"],
                description="'accepted': only figures the council has accepted; 'all' (the default): every "
                "submitted figure, those not yet accepted with provisional true.",
            ),
        ],
        responses={200: KpiSeriesSerializer},
    )
    @action(detail=True, methods=["get"])
    def series(self, request, pk=None):
        """The KPI's monthly series (latest submitted version per month), filterable with ?from=YYYY-MM&to=YYYY-MM,
        with its statistical process control: the latest baseline's mean and process limits, every baseline, the
        variation and assurance, and each point's signal (computed over every figure up to ``to``)."""
        kpi = self.get_object()
        start, end = period_range(request.query_params)
        start, end = start or date(2000, 1, 1), end or date(2999, 12, 1)
        read = read_positions([kpi], start=start, end=end, accepted_only=_accepted_only(request), spc=True)
        reading = read.spc(kpi)
        points = []
        for p in read.figures(kpi):
            signal = reading.point(p.period)
            points.append(
                {
                    "period": f"{p.period:%Y-%m}",
                    "value": str(p.value),
                    "numerator": None if p.numerator is None else str(p.numerator),
                    "denominator": None if p.denominator is None else str(p.denominator),
                    "version": p.version,
                    "status": p.status,
                    "rag": p.rag,
                    "provisional": p.provisional,
                    "display": p.value_text,
                    "signal": signal.signal.value,
                    "rule": signal.rule.value if signal.rule else None,
                }
            )
        return Response(
            {
                "kpi": kpi.code,
                "trust": kpi.delivery_body.slug,
                "unit": kpi.unit,
                "mean": _figure(reading.mean),
                "upper_limit": _figure(reading.upper_limit),
                "lower_limit": _figure(reading.lower_limit),
                "baseline_from": f"{reading.baseline_from:%Y-%m}" if reading.baseline_from else None,
                "variation": reading.variation.value,
                "assurance": reading.assurance.value,
                "baselines": [
                    {
                        "baseline_from": f"{b.start:%Y-%m}",
                        "points": b.points,
                        "recalculated": b.recalculated,
                        "mean": _figure(limit_figure(b.mean)),
                        "upper_limit": _figure(limit_figure(b.upper_limit)),
                        "lower_limit": _figure(limit_figure(b.lower_limit)),
                    }
                    for b in reading.chart.baselines
                ],
                "points": points,
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, required=True, description="The month, YYYY-MM.", pattern=r"^[12]\d{3}-(0[1-9]|1[0-2])$"
            ),
            OpenApiParameter("trust", str, description="Only this trust's KPIs (its slug)."),
            OpenApiParameter(
                "figures",
                str,
                enum=["accepted", "all"],
                description="'accepted': only figures the council has accepted; 'all' (the default): every "
                "submitted figure, those not yet accepted with provisional true.",
            ),
            OpenApiParameter(
                "ordering",
                str,
                enum=sorted({*RAG_ORDERINGS, *(f"-{o}" for o in RAG_ORDERINGS)}),
                description="Sort by trust (the default), KPI code or RAG (red first); '-' reverses.",
            ),
            OpenApiParameter("page", int, description="A page number within the paginated result set."),
            OpenApiParameter(
                "page_size",
                int,
                description="Number of results to return per page (at most 5,000: a national month is four pages).",
            ),
        ],
        responses={200: KpiRagPageSerializer},
    )
    @action(detail=False, methods=["get"])
    @national_read
    def rag(self, request):
        """Every KPI the caller can see, for one month: its latest submitted value, target and RAG.

        One row per trust and KPI (a KPI with no submitted figure that month is grey, value null), so
        the DfE reads every trust's position for a month in one paged request.
        """
        if not request.query_params.get("period"):
            raise serializers.ValidationError({"period": "Enter the month as YYYY-MM"})
        period = _month(request.query_params["period"], "period")
        ordering = request.query_params.get("ordering", "trust")
        if ordering.lstrip("-") not in RAG_ORDERINGS:
            raise serializers.ValidationError({"ordering": f"Order by one of {', '.join(RAG_ORDERINGS)}"})
        key, descending = ordering.lstrip("-"), ordering.startswith("-")
        kpis = self.get_queryset().select_related("delivery_body")
        if key in RAG_DATABASE_ORDERINGS:
            # Ordered and paged in the database: only the page's KPIs are read (the whole month of every trust is
            # then as many quick pages as it needs, each proportional to its size).
            fields = RAG_DATABASE_ORDERINGS[key]
            kpis = kpis.order_by(*(f"-{f}" if descending else f for f in fields))
            page = self.paginate_queryset(kpis)
            rows = self._rag_rows(list(kpis) if page is None else page, period)
            return self.get_paginated_response(rows) if page is not None else Response(rows)
        # By RAG: the order is known only once every position is read.
        rows = self._rag_rows(list(kpis.order_by("delivery_body__slug", "code")), period)
        rows.sort(key=RAG_ORDERINGS[key], reverse=descending)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(page) if page is not None else Response(rows)

    def _rag_rows(self, kpis: list, period) -> list[dict]:
        read = read_positions(kpis, start=period, end=period, accepted_only=_accepted_only(self.request))
        rows = []
        for kpi in kpis:
            p = read.at(kpi, period)
            rows.append(
                {
                    "trust": kpi.delivery_body.slug,
                    "kpi": kpi.code,
                    "title": kpi.title,
                    "unit": kpi.unit,
                    "period": f"{period:%Y-%m}",
                    "value": None if p.value is None else str(p.value),
                    "target": None if p.target is None else str(p.target),
                    "rag": p.rag,
                    "version": p.version,
                    "provisional": p.provisional,
                    "display": p.value_text,
                }
            )
        return rows


def _accepted_only(request) -> bool:
    try:
        return accepted_only(request)
    except FiguresChoiceError as exc:
        raise serializers.ValidationError({"figures": exc.message}) from None


def _month(raw, field):
    if not raw:
        return None
    month = parse_month(raw)
    if month is None:
        raise serializers.ValidationError({field: "Enter the month as YYYY-MM"})
    return month


class KpiFigureViewSet(ScopedReadOnlyViewSet):
    """A figure that belongs to one KPI (a target, a benchmark): officers POST one for a KPI they see and
    PATCH it in place; a PATCH names only what changes, the rest is kept, and the service checks the whole."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    input_class: type
    service: str  # the service that saves it, e.g. "target_save"
    record: str  # the service's keyword for the record being changed
    kept: tuple[str, ...]  # the fields a PATCH keeps when it does not name them
    stays_with_its_kpi: str

    def create(self, request, *args, **kwargs):
        data = _valid_input(self.input_class, request)
        kpi = get_object_or_404(visible(Kpi, request.user), pk=data.pop("kpi"))
        saved = getattr(services, self.service)(user=request.user, kpi=kpi, **data)
        return Response(self.serializer_class(saved).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        data = _valid_input(self.input_class, request, partial=True)
        if "kpi" in data:
            raise serializers.ValidationError({"kpi": self.stays_with_its_kpi})
        kept = {name: getattr(obj, name) for name in self.kept}
        saved = getattr(services, self.service)(user=request.user, kpi=obj.kpi, **{self.record: obj, **kept, **data})
        return Response(self.serializer_class(saved).data)


def _documented_writes(input_class, serializer_class):
    """A KPI figure view set's POST and PATCH as the API document shows them: the input in, the record out."""
    return extend_schema_view(
        create=extend_schema(request=input_class, responses={201: serializer_class}),
        partial_update=extend_schema(request=input_class, responses={200: serializer_class}),
    )


@_documented_writes(TargetInput, TargetSerializer)
class TargetViewSet(KpiFigureViewSet):
    """Targets per financial year with their amber tolerance. A council officer POSTs and PATCHes them."""

    model = Target
    serializer_class = TargetSerializer
    ordering = ["kpi", "financial_year"]  # pages in a stable order: each KPI's targets by year
    input_class = TargetInput
    service, record = "target_save", "target"
    kept = ("financial_year", "value", "amber_tolerance")
    stays_with_its_kpi = "A target stays with its KPI: add one to the other KPI instead"


@_documented_writes(BenchmarkInput, BenchmarkSerializer)
class BenchmarkViewSet(KpiFigureViewSet):
    """England, regional and statistical-neighbour figures with year and source. Officers POST and PATCH them."""

    model = Benchmark
    serializer_class = BenchmarkSerializer
    input_class = BenchmarkInput
    service, record = "benchmark_save", "benchmark"
    kept = ("kind", "year", "value", "code", "lower_quartile", "upper_quartile", "figures_used", "source")
    stays_with_its_kpi = "A benchmark stays with its KPI"

    def partial_update(self, request, *args, **kwargs):
        """A PATCH keeps what it does not name: a median computed from figures keeps its figures unless the PATCH
        gives the median itself (or new figures)."""
        obj = self.get_object()
        data = _valid_input(self.input_class, request, partial=True)
        if "kpi" in data:
            raise serializers.ValidationError({"kpi": self.stays_with_its_kpi})
        entered = {"value", "code", "lower_quartile", "upper_quartile", "figures_used"}
        if obj.figures and not (entered & set(data)):
            kept = {"kind": obj.kind, "year": obj.year, "source": obj.source, "figures": obj.figures}
        elif "figures" in data:
            kept = {"kind": obj.kind, "year": obj.year, "source": obj.source}
        else:
            kept = {name: getattr(obj, name) for name in self.kept}
        saved = services.benchmark_save(user=request.user, kpi=obj.kpi, benchmark=obj, **{**kept, **data})
        return Response(self.serializer_class(saved).data)


@extend_schema_view(
    create=extend_schema(request=NeighbourListInput, responses={201: NeighbourListSerializer}),
    partial_update=extend_schema(request=NeighbourListInput, responses={200: NeighbourListSerializer}),
)
class NeighbourListViewSet(ScopedReadOnlyViewSet):
    """A council's 10 nearest statistical neighbours for a year, nearest first, with the source. Its council
    officers POST a list and PATCH it (a PATCH names only what changes); history keeps every version."""

    model = StatisticalNeighbourList
    serializer_class = NeighbourListSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = _valid_input(NeighbourListInput, request)
        council = request.user.council
        if council is None:
            raise PermissionDenied("Only a council officer records the council's statistical neighbours")
        saved = services.neighbour_list_save(user=request.user, council=council, **data)
        return Response(self.serializer_class(saved).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        data = _valid_input(NeighbourListInput, request, partial=True)
        kept = {"year": obj.year, "source": obj.source, "neighbours": obj.neighbours}
        saved = services.neighbour_list_save(
            user=request.user, council=obj.council, neighbour_list=obj, **{**kept, **data}
        )
        return Response(self.serializer_class(saved).data)


class MonthlyReturnViewSet(ScopedReadOnlyViewSet):
    """Returns with every version. POST a return (JSON) from the trust's own system."""

    model = MonthlyReturn
    serializer_class = MonthlyReturnSerializer
    http_method_names = ["get", "post", "head", "options"]
    cached_actions = ("list",)  # per data version (trustgov.core.versioned_cache)

    def get_queryset(self):
        # Versions in number order, each one's figures in catalogue order (the models have no default order).
        # Only the columns the page writes: a KPI's whole row (its definition text and the rest) for each of a
        # page's 20,000 figures was most of what the database sent.
        values = (
            ReturnValue.objects.select_related("kpi")
            .only("version_id", "kpi__code", "value", "numerator", "denominator", "commentary")
            .order_by("kpi__display_order", "kpi__code")
        )
        versions = (
            ReturnVersion.objects.select_related("signed_off_by")
            .prefetch_related(Prefetch("values", queryset=values))
            .order_by("number")
        )
        qs = super().get_queryset().prefetch_related(Prefetch("versions", queryset=versions))
        params = self.request.query_params
        if params.get("trust"):
            qs = qs.filter(delivery_body__slug=params["trust"])
        return qs.order_by("delivery_body__name", "period")

    @extend_schema(request=ReturnInput, responses={201: MonthlyReturnSerializer})
    def create(self, request, *args, **kwargs):
        data = ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = get_object_or_404(visible(DeliveryBody, request.user), slug=data.validated_data["delivery_body"])
        period = _month(data.validated_data["period"], "period")
        figures = {}
        for row in data.validated_data["values"]:
            if row["kpi"] in figures:
                raise serializers.ValidationError({"values": f"KPI {row['kpi']} appears twice"})
            figures[row["kpi"]] = services.Figures(
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
                commentary=row.get("commentary", ""),
            )
        ret = services.return_record(
            delivery_body=body,
            period=period,
            user=request.user,
            figures=figures,
            channel="api",
            reason=data.validated_data["reason"],
            submit=data.validated_data["submit"],
        )
        ret = self.get_queryset().get(pk=ret.pk)
        return Response(self.get_serializer(ret).data, status=status.HTTP_201_CREATED)


# --- the improvement plan, Ofsted, and the queries on returns (read-only, as the browser shows them) ---


class ImprovementPrioritySerializer(serializers.ModelSerializer):
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ImprovementPriority
        fields = ["id", "delivery_body", "number", "title", "description", "updated_at"]


class ImprovementActionSerializer(serializers.ModelSerializer):
    status = choice_field(ImprovementAction.Status.choices)

    class Meta:
        model = ImprovementAction
        fields = ["id", "priority", "title", "owner", "due_date", "status", "evidence", "updated_at"]


class OfstedEventSerializer(serializers.ModelSerializer):
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = choice_field(OfstedEvent.Kind.choices)
    judgement = choice_field([("", "None"), *OfstedEvent.Judgement.choices])

    class Meta:
        model = OfstedEvent
        fields = ["id", "delivery_body", "date", "kind", "focus", "judgement", "letter_url", "summary", "updated_at"]


class TrajectoryMilestoneSerializer(serializers.ModelSerializer):
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    judgement = choice_field(OfstedEvent.Judgement.choices)

    class Meta:
        model = TrajectoryMilestone
        fields = ["id", "delivery_body", "judgement", "by_date", "updated_at"]


class QueryMessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QueryMessage
        fields = ["id", "author", "text", "created_at"]


class ReturnQuerySerializer(KpiCodedSerializer):
    raised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = choice_field(ReturnQuery.Status.choices)
    messages = QueryMessageSerializer(many=True, read_only=True)

    class Meta:
        model = ReturnQuery
        fields = ["id", "monthly_return", "kpi", "raised_by", "question", "status", "messages", "updated_at"]


class ImprovementPriorityViewSet(ScopedReadOnlyViewSet):
    model = ImprovementPriority
    serializer_class = ImprovementPrioritySerializer


class ImprovementActionViewSet(ScopedReadOnlyViewSet):
    model = ImprovementAction
    serializer_class = ImprovementActionSerializer
    filterset_fields = ["priority", "status"]
    ordering_fields = ["due_date", "updated_at"]
    period_field = "due_date"


class OfstedEventViewSet(ScopedReadOnlyViewSet):
    model = OfstedEvent
    serializer_class = OfstedEventSerializer
    ordering_fields = ["date", "updated_at"]
    period_field = "date"


class TrajectoryMilestoneViewSet(ScopedReadOnlyViewSet):
    model = TrajectoryMilestone
    serializer_class = TrajectoryMilestoneSerializer
    period_field = "by_date"


class ReturnQueryViewSet(ScopedReadOnlyViewSet):
    """Questions the council raised on a return, and the thread of answers (not shown to scrutiny)."""

    model = ReturnQuery
    serializer_class = ReturnQuerySerializer
    filterset_fields = ["monthly_return", "status"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("messages__author")


router = DefaultRouter()
router.register("performance/kpis", KpiViewSet, basename="performance-kpi")
router.register("performance/targets", TargetViewSet, basename="performance-target")
router.register("performance/benchmarks", BenchmarkViewSet, basename="performance-benchmark")
router.register("performance/neighbour-lists", NeighbourListViewSet, basename="performance-neighbour-list")
router.register("performance/returns", MonthlyReturnViewSet, basename="performance-return")
router.register("performance/improvement-priorities", ImprovementPriorityViewSet, basename="performance-priority")
router.register("performance/improvement-actions", ImprovementActionViewSet, basename="performance-improvement-action")
router.register("performance/ofsted-events", OfstedEventViewSet, basename="performance-ofsted-event")
router.register("performance/trajectory-milestones", TrajectoryMilestoneViewSet, basename="performance-milestone")
router.register("performance/return-queries", ReturnQueryViewSet, basename="performance-return-query")
router.register("performance/national-grid", NationalGridViewSet, basename="performance-national-grid")
urlpatterns = router.urls
