"""Small explicit state machines for governance lifecycles.

Each lifecycle (contract, reserved-matter request, appointment, monthly return, minutes)
declares its transitions once with ``Workflow``; services call ``workflow.check(...)``
before changing state, so views, the API and tasks all obey the same rules and a
skipped step is refused with a message that says what is allowed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .permissions import role_refused
from .roles import Role, role_of


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[Role]
    label: str = ""
    guard: Callable | None = field(default=None, compare=False)  # guard(obj) -> error message or None


# GOV.UK tag colours a state may take: green for in force, yellow for waiting on someone, red for ended badly.
TONES = ("grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow")


class Workflow:
    def __init__(
        self,
        name: str,
        state_labels: dict[str, str],
        transitions: Iterable[Transition],
        *,
        tones: dict[str, str] | None = None,
    ):
        self.name = name
        self.state_labels = state_labels
        self.transitions = {(t.source, t.target): t for t in transitions}
        self.tones = dict(tones or {})
        unknown = {t for t in self.tones.values() if t not in TONES} | (set(self.tones) - set(state_labels))
        if unknown:  # pragma: no cover - a programming error, caught when the module loads
            raise ValueError(f"The {name} workflow names unknown states or tones: {sorted(unknown)}")

    def tag(self, state: str) -> tuple[str, str]:
        """How a state shows on a page: its label and its tag colour (grey unless the workflow says)."""
        return self.state_labels.get(state, state), self.tones.get(state, "grey")

    def allowed_targets(self, source: str, user=None, obj=None) -> list[str]:
        """Targets reachable from ``source`` (by this user, when given)."""
        targets = []
        for (src, target), transition in self.transitions.items():
            if src != source:
                continue
            if user is not None and not self._role_ok(transition, user):
                continue
            if obj is not None and transition.guard and transition.guard(obj):
                continue
            targets.append(target)
        return targets

    def check(self, *, obj, source: str, target: str, user, field_name: str = "status") -> Transition:
        """Raise ValidationError (naming ``field_name``) unless ``user`` may move ``obj`` from source to target."""
        transition = self.transitions.get((source, target))
        if transition is None:
            allowed = [self.state_labels.get(t, t) for t in self.allowed_targets(source)]
            hint = f" From {self._label(source)} it can move to: {', '.join(allowed)}." if allowed else ""
            raise ValidationError(
                {field_name: f"A {self.name} cannot move from {self._label(source)} to {self._label(target)}.{hint}"}
            )
        if not self._role_ok(transition, user):
            roles = ", ".join(sorted(r.value for r in transition.roles))
            raise role_refused(field_name, f"Only a {roles} can move a {self.name} to {self._label(target)}.")
        if transition.guard:
            problem = transition.guard(obj)
            if problem:
                raise ValidationError({field_name: problem})
        return transition

    def _label(self, state: str) -> str:
        return f"'{self.state_labels.get(state, state)}'"

    @staticmethod
    def _role_ok(transition: Transition, user) -> bool:
        if getattr(user, "is_superuser", False):
            return True
        return role_of(user) in transition.roles


# --- Which workflow a model's status follows (each app registers its own from AppConfig.ready()) -------------

_WORKFLOWS: dict[str, tuple[Workflow, str]] = {}


def register_workflow(model, workflow: Workflow, *, field: str = "status") -> None:
    _WORKFLOWS[model._meta.label_lower] = (workflow, field)


def workflow_for(obj) -> tuple[Workflow, str] | None:
    """The workflow ``obj``'s model registered, with the name of its state field, or None."""
    return _WORKFLOWS.get(obj._meta.label_lower)
