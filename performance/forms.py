from datetime import date

from django import forms

from trustgov.core.dates import add_months
from trustgov.core.forms import AsciiDecimalField, GovukDateField, GovukForm

from .models import ImprovementAction, OfstedEvent
from .services import KPI_FIELDS


def month_choices(body, today: date, count: int = 24) -> list[tuple[str, str]]:
    last = add_months(today.replace(day=1), -1)
    start = body.operational_from or body.shadow_from
    out = []
    for i in range(count):
        m = add_months(last, -i)
        if start and m < start.replace(day=1):
            break
        out.append((f"{m:%Y-%m}", f"{m:%B %Y}"))
    return out


class ReturnForm(GovukForm):
    """One set of fields per KPI: the value, or numerator and denominator for a rate; commentary."""

    submit_label = "Save draft"

    def __init__(self, *args, kpis, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # The state of the return this page was opened on: a save against a return changed since is refused.
        self.fields["based_on"] = forms.CharField(widget=forms.HiddenInput, required=False)
        for kpi in kpis:
            if kpi.is_fraction:
                self.fields[f"{kpi.code}-numerator"] = AsciiDecimalField(
                    label=f"{kpi.title}: numerator",
                    help_text=kpi.numerator_definition,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                )
                self.fields[f"{kpi.code}-denominator"] = AsciiDecimalField(
                    label=f"{kpi.title}: denominator",
                    help_text=kpi.denominator_definition,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                )
            else:
                self.fields[f"{kpi.code}-value"] = AsciiDecimalField(
                    label=f"{kpi.title} ({kpi.get_unit_display().lower()})",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                )
            self.fields[f"{kpi.code}-commentary"] = forms.CharField(
                label=f"{kpi.title}: commentary",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Required when the value is red.",
            )
        if needs_reason:
            self.fields["reason"] = forms.CharField(
                label="Reason for the correction",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="The return has been submitted: your figures become a new version.",
                error_messages={"required": "Enter the reason for the correction"},
            )
        for f in self.fields.values():
            if isinstance(f, forms.DecimalField):
                f.error_messages["invalid"] = f"{f.label}: enter a number"


class UploadForm(GovukForm):
    submit_label = "Upload"
    file = forms.FileField(
        label="Spreadsheet (.xlsx or .csv)", error_messages={"required": "Choose the spreadsheet to upload"}
    )
    reason = forms.CharField(
        label="Reason for the correction (only when the month was already submitted)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SubmitForm(GovukForm):
    submit_label = "Submit return"
    confirm = forms.BooleanField(
        label="I confirm these figures are signed off by me as a named trust executive",
        error_messages={"required": "Confirm that you sign off the figures"},
    )


class QueryForm(GovukForm):
    submit_label = "Send query"

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"] = forms.ChoiceField(
            label="KPI",
            choices=[("", "The whole return (send back)")] + [(str(k.pk), k.title) for k in kpis],
            required=False,
        )
        self.fields["question"] = forms.CharField(
            label="Question for the trust",
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": "Enter the question for the trust"},
        )


class ReplyForm(GovukForm):
    submit_label = "Reply"
    text = forms.CharField(
        label="Reply", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter your reply"}
    )


class ActionForm(GovukForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label="Status", choices=ImprovementAction.Status.choices, widget=forms.RadioSelect
        )
        self.fields["evidence"] = forms.CharField(
            label="Evidence",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Required when the action is complete.",
        )


class OfstedEventForm(GovukForm):
    submit_label = "Record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"] = GovukDateField(label="Date")
        self.fields["kind"] = forms.ChoiceField(
            label="Type", choices=OfstedEvent.Kind.choices, widget=forms.RadioSelect
        )
        self.fields["focus"] = forms.CharField(label="Focus", max_length=300, required=False)
        self.fields["judgement"] = forms.ChoiceField(
            label="Judgement (inspections only)",
            choices=[("", "No judgement (visit)")] + [c for c in OfstedEvent.Judgement.choices if c[0]],
            required=False,
        )
        self.fields["letter_url"] = forms.URLField(
            label="Link to the letter or report", required=False, assume_scheme="https"
        )
        self.fields["summary"] = forms.CharField(
            label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3})
        )


class KpiForm(GovukForm):
    """A KPI in the catalogue. On an edit, a changed definition takes effect from the month given."""

    submit_label = "Save KPI"

    def __init__(self, *args, body, kpi=None, **kwargs):
        from trustgov.core.forms import GovukDateField

        from .models import ImprovementPriority, Kpi

        super().__init__(*args, **kwargs)
        f = self.fields
        f["code"] = forms.SlugField(
            label="Code",
            max_length=30,
            help_text="Short, used in returns and spreadsheets, e.g. RR",
            error_messages={"required": "Enter a code", "invalid": "The code may use letters, numbers, - and _ only"},
        )
        f["title"] = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
        f["definition"] = forms.CharField(
            label="Definition",
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": "Enter the definition"},
        )
        f["unit"] = forms.ChoiceField(
            label="Unit",
            choices=Kpi.Unit.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a unit"},
        )
        f["polarity"] = forms.ChoiceField(
            label="Polarity",
            choices=Kpi.Polarity.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose whether higher or lower is better"},
        )
        f["frequency"] = forms.ChoiceField(
            label="Frequency", choices=Kpi.Frequency.choices, widget=forms.RadioSelect, initial=Kpi.Frequency.MONTHLY
        )
        f["numerator_definition"] = forms.CharField(
            label="Numerator (what is counted)",
            max_length=300,
            required=False,
            help_text="For a rate or percentage computed from two counts. Leave blank when the value is typed.",
        )
        f["denominator_definition"] = forms.CharField(label="Denominator (out of what)", max_length=300, required=False)
        f["data_source"] = forms.CharField(label="Source", max_length=200, required=False)
        f["priority"] = forms.ChoiceField(
            label="Improvement priority",
            required=False,
            choices=[("", "None")]
            + [(str(p.pk), str(p)) for p in ImprovementPriority.objects.filter(delivery_body=body)],
        )
        f["contractual"] = forms.ChoiceField(
            label="Status",
            choices=[("yes", "Contractual"), ("no", "Monitoring only")],
            widget=forms.RadioSelect,
            initial="yes",
        )
        f["formal_reporting_start"] = GovukDateField(
            label="Reporting start", required=False, help_text="The first month reported formally against target."
        )
        if kpi is not None:
            f["definition_effective_from"] = GovukDateField(
                label="New definition takes effect from",
                required=False,
                help_text="Only when the definition changes: the first month it applies to (any day of that month). "
                "Returns before it keep the old definition.",
            )
            f["reason"] = forms.CharField(
                label="Reason for the change", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.initial.update(
                {
                    name: getattr(kpi, name)
                    for name in KPI_FIELDS
                    if name not in ("priority", "contractual", "display_order")
                }
            )
            self.initial["priority"] = str(kpi.priority_id or "")
            self.initial["contractual"] = "yes" if kpi.contractual else "no"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["priority"] = int(data["priority"]) if data.get("priority") else None
        data["contractual"] = data["contractual"] == "yes"
        return data


class RetireForm(GovukForm):
    submit_label = "Retire KPI"

    def __init__(self, *args, **kwargs):
        from trustgov.core.forms import GovukDateField

        super().__init__(*args, **kwargs)
        self.fields["retired_from"] = GovukDateField(
            label="No longer reported from", help_text="The first month with no figure (any day of that month)."
        )


class BaselineForm(GovukForm):
    """Recalculate a KPI's statistical process control baseline from a month (ADR 0305)."""

    submit_label = "Recalculate the baseline"

    def __init__(self, *args, **kwargs):
        from trustgov.core.forms import GovukDateField

        from .models import KpiBaseline

        super().__init__(*args, **kwargs)
        self.fields["effective_from"] = GovukDateField(
            label="New baseline from", help_text="The first month of the new baseline (any day of that month)."
        )
        self.fields["reason"] = forms.ChoiceField(
            label="Why",
            choices=KpiBaseline.Reason.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a new contract or a service change"},
        )
        self.fields["note"] = forms.CharField(
            label="What changed",
            help_text="Shown beside the chart, for example 'New contract with the trust from April 2025'.",
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": "Say what changed from that month"},
        )


class TargetForm(GovukForm):
    submit_label = "Save target"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"] = forms.IntegerField(
            label="Financial year (the year it starts)",
            min_value=2000,
            max_value=2100,
            help_text="For example 2025 for 2025/26.",
            error_messages={
                "required": "Enter the financial year",
                "invalid": "The financial year must be a year, like 2025",
                "min_value": "The financial year must be 2000 or later",
                "max_value": "The financial year must be 2100 or earlier",
            },
        )
        self.fields["value"] = forms.DecimalField(
            label="Target",
            max_digits=12,
            decimal_places=2,
            error_messages={"required": "Enter the target", "invalid": "The target must be a number"},
        )
        self.fields["amber_tolerance"] = forms.DecimalField(
            label="Amber tolerance",
            max_digits=12,
            decimal_places=2,
            min_value=0,
            initial=0,
            help_text="How far from target (in the KPI's unit) is still amber rather than red.",
            error_messages={
                "required": "Enter the amber tolerance (0 for none)",
                "invalid": "The amber tolerance must be a number",
                "min_value": "The amber tolerance must be 0 or more",
            },
        )


def _lines(text: str, parts: int) -> list[list[str]]:
    """Each non-empty line of a box split at its first ``parts - 1`` commas (or tabs, pasted from a spreadsheet)."""
    out = []
    for line in (text or "").splitlines():
        if line.strip():
            cells = [c.strip() for c in line.replace("\t", ",").split(",", parts - 1)]
            out.append(cells + [""] * (parts - len(cells)))
    return out


class BenchmarkForm(GovukForm):
    """England's figure, or a region's or statistical neighbours' median and quartiles as published, or each
    authority's figure to compute them from (ADR 0306). A figure may be a suppression code (c, k, u, x, z)."""

    submit_label = "Save benchmark"

    def __init__(self, *args, **kwargs):
        from .models import Benchmark

        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="Comparator",
            choices=Benchmark.Kind.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the comparator"},
        )
        self.fields["year"] = forms.CharField(
            label="Year",
            max_length=10,
            help_text="For example 2024 or 2024-25.",
            error_messages={"required": "Enter the year the figure describes"},
        )
        self.fields["value"] = forms.CharField(
            label="Value, or the median for a region or statistical neighbours",
            max_length=20,
            required=False,
            help_text="A number, or the suppression code published in its place: c (confidential), k (rounds to 0), "
            "u (low reliability), x (not available) or z (not applicable). Leave blank when you enter each "
            "authority's figure below.",
        )
        self.fields["lower_quartile"] = AsciiDecimalField(
            label="Lower quartile (optional)",
            required=False,
            max_digits=12,
            decimal_places=2,
            error_messages={"invalid": "The lower quartile must be a number"},
        )
        self.fields["upper_quartile"] = AsciiDecimalField(
            label="Upper quartile (optional)",
            required=False,
            max_digits=12,
            decimal_places=2,
            error_messages={"invalid": "The upper quartile must be a number"},
        )
        self.fields["figures_used"] = forms.IntegerField(
            label="Number of figures the median is of (optional)",
            required=False,
            min_value=1,
            max_value=200,
            error_messages={
                "invalid": "The number of figures must be a whole number",
                "min_value": "The number of figures must be 1 or more",
                "max_value": "The number of figures must be 200 or fewer",
            },
        )
        self.fields["figures"] = forms.CharField(
            label="Or each authority's figure, to compute the median and quartiles from",
            required=False,
            widget=forms.Textarea(attrs={"rows": 10}),
            max_length=20000,
            help_text="One authority a line: LA code, then its figure (or a suppression code), for example "
            "'330, 23.1' or 'E08000025, c'. Suppressed figures are kept as their code and left out of the median.",
        )
        self.fields["source"] = forms.CharField(
            label="Source", max_length=300, error_messages={"required": "Enter where the figure comes from"}
        )

    def clean(self):
        from .quartiles import FigureError, parse_figure

        data = super().clean()
        raw = (data.get("value") or "").strip()
        data["value"], data["code"] = None, ""
        if raw:
            try:
                figure = parse_figure(raw)
            except FigureError as exc:
                self.add_error("value", str(exc))
            else:
                data["value"], data["code"] = (None, figure) if isinstance(figure, str) else (figure, "")
        data["figures"] = [{"la_code": code, "value": value} for code, value in _lines(data.get("figures", ""), 2)]
        return data

    @staticmethod
    def initial_for(benchmark) -> dict:
        figures = "\n".join(f"{f['la_code']}, {f['value']}" for f in benchmark.figures or ())
        computed = bool(benchmark.figures)
        return {
            "kind": benchmark.kind,
            "year": benchmark.year,
            "value": "" if computed else (benchmark.code or benchmark.value),
            "lower_quartile": None if computed else benchmark.lower_quartile,
            "upper_quartile": None if computed else benchmark.upper_quartile,
            "figures_used": None if computed else benchmark.figures_used,
            "figures": figures,
            "source": benchmark.source,
        }


class NeighbourListForm(GovukForm):
    submit_label = "Save statistical neighbours"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.CharField(
            label="Year",
            max_length=10,
            help_text="The year of the tool's release, for example 2024.",
            error_messages={"required": "Enter the year of the list"},
        )
        self.fields["source"] = forms.CharField(
            label="Source",
            max_length=300,
            help_text="For example: DfE children's services statistical neighbour benchmarking tool, 2024.",
            error_messages={"required": "Enter where the list comes from"},
        )
        self.fields["neighbours"] = forms.CharField(
            label="The 10 nearest statistical neighbours, nearest first",
            widget=forms.Textarea(attrs={"rows": 10}),
            max_length=5000,
            help_text="One authority a line: LA code (three-digit DfE number or nine-character ONS code), then its "
            "name, for example '330, Birmingham'.",
            error_messages={"required": "Enter the 10 neighbours, one a line"},
        )

    def clean_neighbours(self):
        return [{"la_code": code, "name": name} for code, name in _lines(self.cleaned_data["neighbours"], 2)]

    @staticmethod
    def initial_for(neighbour_list) -> dict:
        return {
            "year": neighbour_list.year,
            "source": neighbour_list.source,
            "neighbours": "\n".join(f"{n['la_code']}, {n['name']}" for n in neighbour_list.neighbours),
        }


class PriorityForm(GovukForm):
    submit_label = "Save priority"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"] = forms.IntegerField(
            label="Number",
            min_value=1,
            max_value=99,
            error_messages={
                "required": "Enter the priority's number",
                "invalid": "The number must be a whole number",
                "min_value": "The number must be 1 or more",
                "max_value": "The number must be 99 or less",
            },
        )
        self.fields["title"] = forms.CharField(
            label="Title", max_length=200, error_messages={"required": "Enter the priority's title"}
        )
        self.fields["description"] = forms.CharField(
            label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
        )


class ImprovementActionForm(GovukForm):
    submit_label = "Save action"

    def __init__(self, *args, priorities, **kwargs):
        from trustgov.core.forms import GovukDateField

        super().__init__(*args, **kwargs)
        self.fields["priority"] = forms.ChoiceField(
            label="Priority",
            choices=[(str(p.pk), str(p)) for p in priorities],
            error_messages={"required": "Choose a priority", "invalid_choice": "Choose one of the trust's priorities"},
        )
        self.fields["title"] = forms.CharField(
            label="Action", max_length=300, error_messages={"required": "Enter what the action is"}
        )
        self.fields["owner"] = forms.CharField(
            label="Owner",
            max_length=200,
            help_text="The office responsible, for example 'Trust Chief Executive'.",
            error_messages={"required": "Enter who owns the action"},
        )
        self.fields["due_date"] = GovukDateField(label="Due date")
        self._priorities = {str(p.pk): p for p in priorities}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["priority"] = self._priorities[data["priority"]]
        return data


class MilestoneForm(GovukForm):
    submit_label = "Save trajectory point"

    def __init__(self, *args, **kwargs):
        from trustgov.core.forms import GovukDateField

        from .models import OfstedEvent

        super().__init__(*args, **kwargs)
        self.fields["judgement"] = forms.ChoiceField(
            label="Judgement to reach",
            choices=[c for c in OfstedEvent.Judgement.choices if c[0]],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the judgement to reach"},
        )
        self.fields["by_date"] = GovukDateField(label="By")


class BenchmarkImportForm(GovukForm):
    """A region's or statistical neighbours' figures from a spreadsheet (ADR 0306)."""

    submit_label = "Import figures"

    def __init__(self, *args, **kwargs):
        from .models import Benchmark

        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="Comparator",
            choices=[c for c in Benchmark.Kind.choices if c[0] != Benchmark.Kind.ENGLAND],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the region or statistical neighbours"},
        )
        self.fields["year"] = forms.CharField(
            label="Year",
            max_length=10,
            help_text="For example 2023-24. In a LAIT-like sheet, the column headed with this year is read.",
            error_messages={"required": "Enter the year the figures describe"},
        )
        self.fields["source"] = forms.CharField(
            label="Source", max_length=300, error_messages={"required": "Enter where the figures come from"}
        )
        self.fields["file"] = forms.FileField(
            label="Spreadsheet (.xlsx or .csv)",
            help_text="One row per authority: LA code, then its figure (a name between them is read too), or a "
            "LAIT-like sheet with a header row ('LA number', 'LA name' and a column per year). Suppression codes "
            "(c, k, u, x, z) are kept as codes.",
            error_messages={"required": "Choose the spreadsheet to import"},
        )
