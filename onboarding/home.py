"""The home page of a council administrator still setting the council up: a task list of the set-up, each task
linking to its page and saying whether it is done, with the workbook as the other way in.

The essential tasks are the delivery body, its contract, a KPI catalogue with targets and the trust's first
executive: until those are done the list stays on the home page. A statutory direction and a memorandum are
recorded where there are any. A council is party to its own contracts and to the joint contracts of the trusts it
owns (North Northamptonshire to the Northamptonshire contract West Northamptonshire leads), as the contracts'
scoping reads it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from contracts.selectors import contracts_visible_to
from performance.models import Kpi, Target
from trustgov.core.navigation import HomePanel
from trustgov.core.roles import Role
from trustgov.core.scoping import visible
from trustgov.organisations.models import DeliveryBody, Direction, MemorandumOfUnderstanding

from .services import may_onboard


@dataclass(frozen=True)
class SetUpTask:
    name: str
    url: str | None  # None: it cannot start yet (``hint`` says why)
    done: bool
    hint: str = ""
    essential: bool = True

    @property
    def status(self) -> str:
        if self.done:
            return "Completed"
        return "Not yet started" if self.url else "Cannot start yet"


def set_up_tasks(user) -> list[SetUpTask]:
    council = user.council
    bodies = list(visible(DeliveryBody, user).order_by("name"))  # the bodies it owns, alone or jointly
    body = bodies[0] if bodies else None
    kpis = visible(Kpi, user).filter(delivery_body__in=bodies)
    first_body = "Add the delivery body first."
    catalogue = f"{reverse('performance:kpi-catalogue')}?body={body.slug}" if body else None
    trust_users = get_user_model().objects.filter(delivery_body__in=bodies, groups__name=Role.TRUST_EXECUTIVE.value)
    return [
        SetUpTask(
            "Check the council's details",
            reverse("organisations:council-edit", args=[council.slug]),
            bool(council.la_code and council.gss_code),
            "Its LA and GSS codes identify it in the DfE's data and in open data.",
        ),
        SetUpTask(
            "Record the statutory direction",
            reverse("organisations:direction-create", args=[council.slug]),
            visible(Direction, user).filter(council=council).exists(),
            "If the Secretary of State directed the council.",
            essential=False,
        ),
        SetUpTask(
            "Add the delivery body",
            reverse("organisations:delivery-body-create"),
            body is not None,
            "The trust, company or partnership the council contracts with.",
        ),
        SetUpTask(
            "Record the memorandum of understanding",
            reverse("organisations:memorandum-create", args=[body.slug]) if body else None,
            visible(MemorandumOfUnderstanding, user).filter(council=council).exists(),
            "The council's memorandum with the DfE, if there is one." if body else first_body,
            essential=False,
        ),
        SetUpTask(
            "Add the service contract",
            reverse("contracts:contract-create") if body else None,
            contracts_visible_to(user).exists(),
            "Its term, the monthly return's due day and the services in scope." if body else first_body,
        ),
        SetUpTask(
            "Build the KPI catalogue",
            catalogue,
            kpis.exists(),
            "The KPIs the trust reports each month." if body else first_body,
        ),
        SetUpTask(
            "Set this year's targets",
            catalogue,
            visible(Target, user).filter(kpi__in=kpis).exists(),
            "A target and tolerance for each contractual KPI." if body else first_body,
        ),
        SetUpTask(
            "Invite the trust's executives",
            reverse("user-invite") if body else None,
            trust_users.exists(),
            "They submit the monthly returns." if body else first_body,
        ),
    ]


def onboarding_panel(user) -> HomePanel | None:
    council = getattr(user, "council", None)
    if council is None or not may_onboard(user, council):
        return None
    tasks = set_up_tasks(user)
    if all(t.done for t in tasks if t.essential):
        return None
    done = sum(t.done for t in tasks)
    return HomePanel("onboarding/_home_panel.html", {"tasks": tasks, "done": done, "total": len(tasks)}, order=5)
