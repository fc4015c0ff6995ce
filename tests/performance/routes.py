from performance.models import (
    Benchmark,
    ImprovementAction,
    ImprovementPriority,
    Kpi,
    MonthlyReturn,
    ReturnQuery,
    StatisticalNeighbourList,
    Target,
    TrajectoryMilestone,
)

from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

POST_ONLY = everyone_but(**{OFFICER: 405, TRUST: 405, SCRUTINY: 405, DFE: 405})
TRUST_ONLY = everyone_but(**{OFFICER: 403, SCRUTINY: 403, DFE: 403})


def sandwell_kpi():
    return {"pk": Kpi.objects.get(delivery_body__slug="sandwell-trust", code="RR").pk}


def sandwell_return(status="submitted"):
    return lambda: {
        "pk": MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust", status=status)
        .order_by("-period")
        .values_list("pk", flat=True)
        .first()
    }


def sandwell_query():
    return {
        "pk": ReturnQuery.objects.filter(monthly_return__delivery_body__slug="sandwell-trust")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    }


ROUTES = [
    Route("performance:dashboard", everyone_but(), browser_role=SCRUTINY),
    Route("performance:kpi-detail", everyone_but(), kwargs=sandwell_kpi, browser_role=SCRUTINY),
    Route("performance:kpi-export", everyone_but(), kwargs=sandwell_kpi, browser_role=None, query="?format=csv"),
    Route("performance:comparison", everyone_but(), browser_role=DFE),
    Route("performance:national-grid", everyone_but(), browser_role=DFE),
    Route("performance:return-list", everyone_but(), browser_role=OFFICER),
    Route("performance:return-enter", TRUST_ONLY, browser_role=TRUST),
    Route("performance:return-upload", TRUST_ONLY, browser_role=TRUST),
    Route("performance:return-template", TRUST_ONLY, browser_role=None, query="?period=2025-01&format=csv"),
    Route("performance:return-detail", everyone_but(), kwargs=sandwell_return(), browser_role=OFFICER),
    Route("performance:return-submit", POST_ONLY, kwargs=sandwell_return(), browser_role=None),
    Route("performance:return-query", POST_ONLY, kwargs=sandwell_return(), browser_role=None),
    Route("performance:return-accept", POST_ONLY, kwargs=sandwell_return(), browser_role=None),
    Route("performance:query-reply", POST_ONLY, kwargs=sandwell_query, browser_role=None),
    Route("performance:improvement-plan", everyone_but(), browser_role=SCRUTINY),
    Route("performance:ofsted", everyone_but(), browser_role=SCRUTINY),
    Route(
        "performance:action-edit",
        everyone_but(**{SCRUTINY: 403, DFE: 403}),
        kwargs=lambda: {
            "pk": ImprovementAction.objects.filter(priority__delivery_body__slug="sandwell-trust")
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        },
        browser_role=TRUST,
    ),
    Route("performance:ofsted-add", everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403}), browser_role=OFFICER),
]


OFFICER_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})


def sandwell_target():
    return {"pk": Target.objects.filter(kpi__delivery_body__slug="sandwell-trust").order_by("pk").first().pk}


def sandwell_benchmark():
    return {"pk": Benchmark.objects.filter(kpi__delivery_body__slug="sandwell-trust").order_by("pk").first().pk}


# The KPI catalogue: everyone reads it; council officers keep it.
ROUTES += [
    Route("performance:kpi-catalogue", everyone_but(), browser_role=OFFICER),
    Route("performance:kpi-create", OFFICER_ONLY, browser_role=OFFICER),
    Route("performance:kpi-edit", OFFICER_ONLY, kwargs=sandwell_kpi, browser_role=OFFICER),
    Route("performance:kpi-retire", OFFICER_ONLY, kwargs=sandwell_kpi, browser_role=OFFICER),
    Route("performance:target-add", OFFICER_ONLY, kwargs=sandwell_kpi, browser_role=OFFICER),
    Route("performance:target-edit", OFFICER_ONLY, kwargs=sandwell_target, browser_role=OFFICER),
    Route("performance:benchmark-add", OFFICER_ONLY, kwargs=sandwell_kpi, browser_role=OFFICER),
    Route("performance:benchmark-edit", OFFICER_ONLY, kwargs=sandwell_benchmark, browser_role=OFFICER),
    Route("performance:baseline-add", OFFICER_ONLY, kwargs=sandwell_kpi, browser_role=OFFICER),
]


def sandwell_neighbour_list():
    return {"pk": StatisticalNeighbourList.objects.filter(council__slug="sandwell").order_by("pk").first().pk}


# A council's statistical neighbours: its users read them; its council officers record them (ADR 0306).
ROUTES += [
    Route("performance:neighbour-lists", everyone_but(), browser_role=OFFICER),
    Route("performance:neighbour-list-add", OFFICER_ONLY, browser_role=OFFICER),
    Route("performance:neighbour-list-edit", OFFICER_ONLY, kwargs=sandwell_neighbour_list, browser_role=OFFICER),
    Route("performance:benchmark-import", OFFICER_ONLY, kwargs=sandwell_kpi, browser_role=OFFICER),
]


def _first(model, **lookup):
    return lambda: {"pk": model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True).first()}


# Improvement plan editing: the council sets the plan and the trajectory.
ROUTES += [
    Route("performance:priority-add", OFFICER_ONLY, browser_role=OFFICER),
    Route(
        "performance:priority-edit",
        OFFICER_ONLY,
        kwargs=_first(ImprovementPriority, delivery_body__slug="sandwell-trust"),
        browser_role=OFFICER,
    ),
    Route(
        "performance:improvement-action-add",
        OFFICER_ONLY,
        kwargs=_first(ImprovementPriority, delivery_body__slug="sandwell-trust"),
        browser_role=OFFICER,
    ),
    Route(
        "performance:improvement-action-change",
        OFFICER_ONLY,
        kwargs=_first(ImprovementAction, priority__delivery_body__slug="sandwell-trust"),
        browser_role=OFFICER,
    ),
    Route("performance:milestone-add", OFFICER_ONLY, browser_role=OFFICER),
    Route(
        "performance:milestone-edit",
        OFFICER_ONLY,
        kwargs=_first(TrajectoryMilestone, delivery_body__slug="sandwell-trust"),
        browser_role=OFFICER,
    ),
]
