"""The contracts API: scoped reads of every contract record; writes go through the same services as the web.

Writes: an officer records money and moves a contract; a trust executive (or officer) raises a
reserved-matter request; an officer records the council's decision; the DfE liaison records consent.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from trustgov.core.api import FigureField, RejectUnknownFieldsMixin, ScopedReadOnlyViewSet
from trustgov.core.exempt import Schedule12A
from trustgov.core.schema import choice_field
from trustgov.core.scoping import get_visible_or_404, visible
from trustgov.organisations.models import DeliveryBody

from . import services
from .models import (
    BudgetMonth,
    Contract,
    ContractYearFinance,
    EndOfTermDecision,
    EscalationStep,
    Obligation,
    ReservedMatter,
    ReservedMatterRequest,
    Risk,
    SupportServiceLine,
    Variation,
)


class ContractsViewSet(ScopedReadOnlyViewSet):
    action_permissions: dict[str, str] = {}  # read by the platform's ActionPermissions


def _slug():
    return serializers.SlugRelatedField(slug_field="slug", read_only=True)


class ContractSerializer(serializers.ModelSerializer):
    council = _slug()
    delivery_body = _slug()
    last_day_to_give_notice = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "title",
            "council",
            "delivery_body",
            "status",
            "start_date",
            "shadow_start_date",
            "initial_term_years",
            "end_date",
            "break_clause_date",
            "break_notice_months",
            "last_day_to_give_notice",
            "annual_review_date",
            "extension_options",
            "scope_childrens_social_care",
            "scope_early_help",
            "scope_education",
            "scope_exclusions",
            "return_due_working_days",
            "kpi_grace_months",
            "returns_expected_from",
            "termination_consent_on",
            "termination_consent_reference",
            "updated_at",
        ]


class ObligationSerializer(serializers.ModelSerializer):
    extended = serializers.BooleanField(read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "contract",
            "kind",
            "title",
            "description",
            "owner",
            "recurrence",
            "month_of_year",
            "meeting_day",
            "original_due_date",
            "due_date",
            "extended",
            "extension_reason",
            "updated_at",
        ]


class FinanceYearSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ContractYearFinance
        fields = [
            "id",
            "contract",
            "financial_year",
            "label",
            "contract_sum",
            "support_services_income",
            "accommodation_income",
            "grants_and_contributions",
            "dfe_vat_funding",
            "setup_costs",
            "setup_costs_funder",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["contract"]


class FinanceYearInput(RejectUnknownFieldsMixin, serializers.Serializer):
    contract = serializers.IntegerField()
    financial_year = serializers.IntegerField(min_value=2000, max_value=2100)
    # null is "not recorded" (never read as 0); contract_sum must be sent, as a figure or null.
    contract_sum = FigureField(max_digits=14, decimal_places=2, allow_null=True)
    support_services_income = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    accommodation_income = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    grants_and_contributions = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    dfe_vat_funding = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    setup_costs = FigureField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    setup_costs_funder = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class BudgetMonthSerializer(serializers.ModelSerializer):
    variance = FigureField(max_digits=15, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetMonth
        fields = ["id", "contract", "month", "budget", "forecast_outturn", "variance", "commentary", "updated_at"]


class SupportServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportServiceLine
        fields = ["id", "contract", "service", "term_start", "term_end", "annual_charge", "review_date", "updated_at"]


class VariationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Variation
        fields = [
            "id",
            "contract",
            "title",
            "description",
            "is_major",
            "status",
            "proposed_on",
            "effective_on",
            "dfe_consent_on",
            "dfe_consent_reference",
            "is_exempt",
            "exempt_category",
            "updated_at",
        ]


class EscalationStepSerializer(serializers.ModelSerializer):
    evidence = serializers.FileField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = EscalationStep
        fields = [
            "id",
            "contract",
            "stage",
            "taken_on",
            "summary",
            "evidence",
            "outcome",
            "is_exempt",
            "exempt_category",
            "updated_at",
        ]


class RiskSerializer(serializers.ModelSerializer):
    score = serializers.IntegerField(read_only=True)
    rag = serializers.CharField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "contract",
            "title",
            "cause_effect",
            "owner",
            "likelihood",
            "impact",
            "score",
            "rag",
            "mitigations_in_place",
            "mitigations_planned",
            "review_date",
            "is_exempt",
            "exempt_category",
            "updated_at",
        ]


class ReservedMatterSerializer(serializers.ModelSerializer):
    delivery_body = _slug()

    class Meta:
        model = ReservedMatter
        fields = [
            "id",
            "delivery_body",
            "title",
            "description",
            "decided_by",
            "requires_dfe_consent",
            "appointments_to",
            "updated_at",
        ]


class RequestSerializer(serializers.ModelSerializer):
    delivery_body = _slug()
    raised_by = serializers.CharField(source="raised_by.username", read_only=True)

    class Meta:
        model = ReservedMatterRequest
        fields = [
            "id",
            "reserved_matter",
            "delivery_body",
            "title",
            "details",
            "status",
            "raised_by",
            "raised_on",
            "decision_due",
            "needs_dfe_consent",
            "council_decision",
            "council_decided_on",
            "council_decided_by",
            "decision_reference",
            "decision_url",
            "dfe_decision",
            "dfe_decided_on",
            "dfe_reference",
            "withdrawn_reason",
            "decided_through",
            "is_exempt",
            "exempt_category",
            "updated_at",
        ]
        read_only_fields = ["decided_through"]


class ExemptInput(serializers.Serializer):
    """Not for publication, with the Schedule 12A paragraph (scrutiny and the public never see it)."""

    is_exempt = serializers.BooleanField(required=False, default=False)
    exempt_category = serializers.ChoiceField(choices=Schedule12A.choices, required=False, allow_blank=True)


class RequestInput(RejectUnknownFieldsMixin, ExemptInput):
    reserved_matter = serializers.PrimaryKeyRelatedField(queryset=ReservedMatter.objects.all())
    title = serializers.CharField(max_length=200)
    details = serializers.CharField()
    decision_due = serializers.DateField()


class CouncilDecisionInput(RejectUnknownFieldsMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReservedMatterRequest.Decision.choices)
    decided_on = serializers.DateField()
    decision_reference = serializers.CharField(max_length=200, allow_blank=True)
    decision_url = serializers.URLField(required=False, allow_blank=True, default="")
    decided_by = serializers.ChoiceField(choices=ReservedMatter.DecidedBy.choices, required=False, default="")


class DfeDecisionInput(RejectUnknownFieldsMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReservedMatterRequest.Decision.choices)
    decided_on = serializers.DateField()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ConsentInput(RejectUnknownFieldsMixin, serializers.Serializer):
    consented_on = serializers.DateField()
    reference = serializers.CharField(max_length=200, allow_blank=True)


class TransitionInput(RejectUnknownFieldsMixin, serializers.Serializer):
    target = serializers.CharField()
    effective_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why: required, kept in the history.")


class WithdrawInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


def _date(**kwargs):
    return serializers.DateField(**kwargs)


def _optional_date():
    return serializers.DateField(required=False, allow_null=True, default=None)


def _money(**kwargs):
    """An amount in pounds; a negative amount is refused by the service, naming the field."""
    return FigureField(max_digits=14, decimal_places=2, **kwargs)


class ContractInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """A contract as an officer writes it; the delivery body is named by its slug and must be one of theirs."""

    delivery_body = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=50)
    description = serializers.CharField(required=False, allow_blank=True)
    start_date = _date()
    shadow_start_date = _optional_date()
    initial_term_years = serializers.IntegerField(min_value=1, max_value=50, required=False)
    end_date = _date()
    break_clause_date = _optional_date()
    break_notice_months = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    annual_review_date = _optional_date()
    extension_options = serializers.CharField(max_length=200, required=False, allow_blank=True)
    scope_childrens_social_care = serializers.BooleanField(required=False)
    scope_early_help = serializers.BooleanField(required=False)
    scope_education = serializers.BooleanField(required=False)
    scope_exclusions = serializers.CharField(max_length=300, required=False, allow_blank=True)
    return_due_working_days = serializers.IntegerField(min_value=1, max_value=30, required=False)
    kpi_grace_months = serializers.IntegerField(min_value=0, max_value=60, required=False)
    returns_expected_from = _optional_date()
    supplier_company_number = serializers.CharField(max_length=20, required=False, allow_blank=True)


class ContractRecordInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """Something recorded against a contract the user can see (named by its id)."""

    contract = serializers.IntegerField()


# Named so its request body is "ObligationRequest": its `kind` then shares ObligationKindEnum with the read schema.
@extend_schema_serializer(component_name="Obligation")
class ObligationInput(ContractRecordInput):
    """A duty under the contract, with its owner and due date (the first due date is kept as the original)."""

    kind = serializers.ChoiceField(choices=Obligation.Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.CharField(max_length=200)
    recurrence = serializers.ChoiceField(choices=Obligation.Recurrence.choices, required=False)
    month_of_year = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True)
    meeting_day = serializers.CharField(max_length=40, required=False, allow_blank=True)
    original_due_date = _optional_date()
    due_date = _optional_date()
    extension_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class BudgetMonthInput(ContractRecordInput):
    """Budget and forecast outturn for a month (any day in it); a second record for the month corrects it."""

    month = _date()
    budget = _money()
    forecast_outturn = _money()
    commentary = serializers.CharField(required=False, allow_blank=True)


class SupportServiceInput(ContractRecordInput):
    """A Support Services Agreement line with its own term and annual charge."""

    service = serializers.CharField(max_length=200)
    term_start = _date()
    term_end = _date()
    annual_charge = _money()
    review_date = _optional_date()


class VariationInput(ExemptInput, ContractRecordInput):
    """A proposed variation (change control); a major service change needs DfE consent to take effect."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    is_major = serializers.BooleanField(required=False)


class EscalationInput(ExemptInput, ContractRecordInput):
    """A dated escalation step (evidence documents are uploaded on the web page)."""

    stage = serializers.ChoiceField(choices=EscalationStep.Stage.choices)
    taken_on = _date()
    summary = serializers.CharField()
    outcome = serializers.CharField(required=False, allow_blank=True)


class RiskInput(ExemptInput, ContractRecordInput):
    """A risk register entry, scored likelihood × impact (each 1 to 5)."""

    title = serializers.CharField(max_length=300)
    cause_effect = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.CharField(max_length=200)
    likelihood = serializers.ChoiceField(choices=Risk.SCALE)
    impact = serializers.ChoiceField(choices=Risk.SCALE)
    mitigations_in_place = serializers.CharField(required=False, allow_blank=True)
    mitigations_planned = serializers.CharField(required=False, allow_blank=True)
    review_date = _optional_date()


class ReservedMatterInput(RejectUnknownFieldsMixin, serializers.Serializer):
    delivery_body = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    decided_by = serializers.ChoiceField(choices=ReservedMatter.DecidedBy.choices)
    requires_dfe_consent = serializers.BooleanField(required=False)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _own_delivery_body(user, data: dict) -> dict:
    """Swap the delivery body's slug for the record, refusing one outside the user's council (400 naming it)."""
    if "delivery_body" in data:
        body = visible(DeliveryBody, user).filter(slug=data["delivery_body"]).first()
        if body is None:
            raise DjangoValidationError({"delivery_body": "Choose a delivery body of your own council."})
        data["delivery_body"] = body
    return data


def _creates(input_class, output_class):
    """Document a ``create`` that takes ``input_class`` and answers 201 with ``output_class``."""
    return extend_schema_view(create=extend_schema(request=input_class, responses={201: output_class}))


class ContractRecordCreateMixin:
    """POST records something against a contract the user can see, through the service named ``create_service``.

    A contract outside the user's scope is a 404, as it is on the web; the service's refusals are a 400.
    """

    input_class: type[serializers.Serializer]
    create_service: str
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request):
        data = dict(_valid(self.input_class, request))
        contract = get_visible_or_404(Contract, request.user, pk=data.pop("contract"))
        record = getattr(services, self.create_service)(contract=contract, user=request.user, **data)
        return Response(self.serializer_class(record).data, status=status.HTTP_201_CREATED)


class ContractViewSet(ContractsViewSet):
    model = Contract
    serializer_class = ContractSerializer
    filterset_fields = ["status"]
    ordering_fields = ["start_date", "updated_at"]
    action_permissions = {
        "transition": "contracts.change_contract",
        "termination_consent": "contracts.record_dfe_consent_termination",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=ContractInput, responses={201: ContractSerializer})
    def create(self, request):
        data = _own_delivery_body(request.user, dict(_valid(ContractInput, request)))
        contract = services.contract_create(user=request.user, council=data["delivery_body"].council, **data)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContractInput, responses={200: ContractSerializer})
    def partial_update(self, request, pk=None):
        contract = self.get_object()
        serializer = ContractInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = _own_delivery_body(request.user, dict(serializer.validated_data))
        contract = services.contract_update(contract=contract, user=request.user, **data)
        return Response(ContractSerializer(contract).data)

    @extend_schema(request=TransitionInput, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = _valid(TransitionInput, request)
        contract = services.contract_transition(
            contract=self.get_object(), user=request.user, target=data["target"], reason=data.get("reason", "")
        )
        return Response(ContractSerializer(contract).data)

    @extend_schema(request=ConsentInput, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"], url_path="termination-consent")
    def termination_consent(self, request, pk=None):
        data = _valid(ConsentInput, request)
        contract = services.contract_record_termination_consent(contract=self.get_object(), user=request.user, **data)
        return Response(ContractSerializer(contract).data)


@_creates(ObligationInput, ObligationSerializer)
class ObligationViewSet(ContractRecordCreateMixin, ContractsViewSet):
    input_class = ObligationInput
    create_service = "obligation_create"
    model = Obligation
    serializer_class = ObligationSerializer
    filterset_fields = ["contract", "kind", "recurrence"]
    ordering_fields = ["due_date", "updated_at"]


class EndOfTermDecisionSerializer(serializers.ModelSerializer):
    outcome = choice_field(EndOfTermDecision.Outcome.choices)

    class Meta:
        model = EndOfTermDecision
        fields = [
            "id",
            "contract",
            "outcome",
            "decided_on",
            "decision_reference",
            "reason",
            "previous_end_date",
            "new_end_date",
            "updated_at",
        ]


class EndOfTermDecisionViewSet(ContractsViewSet):
    """What the council decided happens when each contract's term ends (recorded on the web)."""

    model = EndOfTermDecision
    serializer_class = EndOfTermDecisionSerializer
    filterset_fields = ["contract", "outcome"]
    ordering_fields = ["decided_on", "updated_at"]


class FinanceYearViewSet(ContractsViewSet):
    model = ContractYearFinance
    serializer_class = FinanceYearSerializer
    filterset_fields = ["contract", "financial_year"]
    ordering_fields = ["financial_year", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=FinanceYearInput, responses={201: FinanceYearSerializer})
    def create(self, request):
        data = dict(_valid(FinanceYearInput, request))
        contract = get_visible_or_404(Contract, request.user, pk=data.pop("contract"))
        existing = ContractYearFinance.objects.filter(contract=contract, financial_year=data["financial_year"]).first()
        finance = services.finance_year_save(contract=contract, user=request.user, finance=existing, **data)
        return Response(FinanceYearSerializer(finance).data, status=status.HTTP_201_CREATED)


@_creates(BudgetMonthInput, BudgetMonthSerializer)
class BudgetMonthViewSet(ContractRecordCreateMixin, ContractsViewSet):
    input_class = BudgetMonthInput
    create_service = "budget_month_save"
    model = BudgetMonth
    serializer_class = BudgetMonthSerializer
    filterset_fields = ["contract"]
    ordering_fields = ["month", "updated_at"]


@_creates(SupportServiceInput, SupportServiceSerializer)
class SupportServiceViewSet(ContractRecordCreateMixin, ContractsViewSet):
    input_class = SupportServiceInput
    create_service = "support_service_save"
    model = SupportServiceLine
    serializer_class = SupportServiceSerializer
    filterset_fields = ["contract"]
    ordering_fields = ["term_end", "updated_at"]


@_creates(VariationInput, VariationSerializer)
class VariationViewSet(ContractRecordCreateMixin, ContractsViewSet):
    input_class = VariationInput
    create_service = "variation_propose"
    model = Variation
    serializer_class = VariationSerializer
    filterset_fields = ["contract", "status", "is_major"]
    ordering_fields = ["proposed_on", "updated_at"]
    action_permissions = {
        "transition": "contracts.change_variation",
        "dfe_consent": "contracts.record_dfe_consent_variation",
    }

    @extend_schema(request=TransitionInput, responses={200: VariationSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = _valid(TransitionInput, request)
        variation = services.variation_transition(variation=self.get_object(), user=request.user, **data)
        return Response(VariationSerializer(variation).data)

    @extend_schema(request=ConsentInput, responses={200: VariationSerializer})
    @action(detail=True, methods=["post"], url_path="dfe-consent")
    def dfe_consent(self, request, pk=None):
        data = _valid(ConsentInput, request)
        variation = services.variation_record_dfe_consent(variation=self.get_object(), user=request.user, **data)
        return Response(VariationSerializer(variation).data)


@_creates(EscalationInput, EscalationStepSerializer)
class EscalationStepViewSet(ContractRecordCreateMixin, ContractsViewSet):
    input_class = EscalationInput
    create_service = "escalation_record"
    model = EscalationStep
    serializer_class = EscalationStepSerializer
    filterset_fields = ["contract", "stage"]
    ordering_fields = ["taken_on", "updated_at"]


@_creates(RiskInput, RiskSerializer)
class RiskViewSet(ContractRecordCreateMixin, ContractsViewSet):
    input_class = RiskInput
    create_service = "risk_save"
    model = Risk
    serializer_class = RiskSerializer
    filterset_fields = ["contract"]
    ordering_fields = ["review_date", "updated_at"]


class ReservedMatterViewSet(ContractsViewSet):
    model = ReservedMatter
    serializer_class = ReservedMatterSerializer
    filterset_fields = ["decided_by", "requires_dfe_consent"]
    ordering_fields = ["title", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=ReservedMatterInput, responses={201: ReservedMatterSerializer})
    def create(self, request):
        data = _own_delivery_body(request.user, dict(_valid(ReservedMatterInput, request)))
        matter = services.reserved_matter_create(user=request.user, **data)
        return Response(ReservedMatterSerializer(matter).data, status=status.HTTP_201_CREATED)


class ReservedMatterRequestViewSet(ContractsViewSet):
    model = ReservedMatterRequest
    serializer_class = RequestSerializer
    filterset_fields = ["status", "reserved_matter"]
    ordering_fields = ["raised_on", "decision_due", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "council_decision": "contracts.change_reservedmatterrequest",
        "dfe_decision": "contracts.record_dfe_consent",
        "withdraw": "contracts.add_reservedmatterrequest",
    }

    @extend_schema(request=RequestInput, responses={201: RequestSerializer})
    def create(self, request):
        data = _valid(RequestInput, request)
        created = services.request_raise(user=request.user, **data)
        return Response(RequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CouncilDecisionInput, responses={200: RequestSerializer})
    @action(detail=True, methods=["post"], url_path="council-decision")
    def council_decision(self, request, pk=None):
        data = _valid(CouncilDecisionInput, request)
        updated = services.request_record_council_decision(request=self.get_object(), user=request.user, **data)
        return Response(RequestSerializer(updated).data)

    @extend_schema(request=DfeDecisionInput, responses={200: RequestSerializer})
    @action(detail=True, methods=["post"], url_path="dfe-decision")
    def dfe_decision(self, request, pk=None):
        data = _valid(DfeDecisionInput, request)
        updated = services.request_record_dfe_decision(request=self.get_object(), user=request.user, **data)
        return Response(RequestSerializer(updated).data)

    @extend_schema(request=WithdrawInput, responses={200: RequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = _valid(WithdrawInput, request)
        updated = services.request_withdraw(request=self.get_object(), user=request.user, **data)
        return Response(RequestSerializer(updated).data)


router = DefaultRouter()
router.register("contracts", ContractViewSet, basename="contract")
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("end-of-term-decisions", EndOfTermDecisionViewSet, basename="end-of-term-decision")
router.register("contract-finance", FinanceYearViewSet, basename="contract-finance")
router.register("budget-months", BudgetMonthViewSet, basename="budget-month")
router.register("support-services", SupportServiceViewSet, basename="support-service")
router.register("variations", VariationViewSet, basename="variation")
router.register("escalation-steps", EscalationStepViewSet, basename="escalation-step")
router.register("risks", RiskViewSet, basename="risk")
router.register("reserved-matters", ReservedMatterViewSet, basename="reserved-matter")
router.register("reserved-matter-requests", ReservedMatterRequestViewSet, basename="reserved-matter-request")
urlpatterns = router.urls
