"""The monthly return lifecycle, declared once."""

from trustgov.accounts.roles import Role
from trustgov.core.workflow import Transition, Workflow

from .models import ImprovementAction, MonthlyReturn, ReturnQuery

S = MonthlyReturn.Status
TRUST = frozenset({Role.TRUST_EXECUTIVE})
OFFICER = frozenset({Role.COUNCIL_OFFICER})

RETURN_WORKFLOW = Workflow(
    "monthly return",
    dict(S.choices),
    [
        Transition(S.DRAFT, S.SUBMITTED, TRUST, label="Submit"),
        Transition(S.SUBMITTED, S.RESUBMITTED, TRUST, label="Submit a corrected version"),
        Transition(S.QUERIED, S.RESUBMITTED, TRUST, label="Resubmit"),
        Transition(S.RESUBMITTED, S.RESUBMITTED, TRUST, label="Submit a corrected version"),
        Transition(S.SUBMITTED, S.QUERIED, OFFICER, label="Query or send back"),
        Transition(S.RESUBMITTED, S.QUERIED, OFFICER, label="Query or send back"),
        Transition(S.QUERIED, S.QUERIED, OFFICER, label="Raise another query"),
        Transition(S.SUBMITTED, S.ACCEPTED, OFFICER, label="Accept"),
        Transition(S.RESUBMITTED, S.ACCEPTED, OFFICER, label="Accept"),
        Transition(S.QUERIED, S.ACCEPTED, OFFICER, label="Accept"),
    ],
    tones={S.SUBMITTED: "blue", S.RESUBMITTED: "blue", S.QUERIED: "red", S.ACCEPTED: "green"},
)

# States only (how each shows): a query moves when the trust answers it or the officer closes it
# (services.query_reply, services.return_accept); an improvement action's status is set as it is updated.
Q = ReturnQuery.Status
QUERY_STATES = Workflow("query", dict(Q.choices), [], tones={Q.OPEN: "red", Q.ANSWERED: "blue"})
A = ImprovementAction.Status
IMPROVEMENT_ACTION_STATES = Workflow(
    "improvement action",
    dict(A.choices),
    [],
    tones={A.IN_PROGRESS: "blue", A.COMPLETE: "green", A.OVERDUE: "red"},
)
