"""The council papers the demo is built from (/work/shared/seeds, beside the project): tests read each
figure from the paper's own text, so a demo figure that drifts from its paper fails."""

import re
from pathlib import Path

import pytest
from django.conf import settings

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def paper(*phrases: str) -> str:
    """The text of the one seed paper that contains every phrase (skips only when the folder is absent)."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed papers are not here ({SEEDS}): the demo's paper figures cannot be checked")
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    found = [name for name, text in texts.items() if all(x in text for x in phrases)]
    assert len(found) == 1, f"expected one seed paper containing {phrases}, found {found}"
    return texts[found[0]]


def figures(text: str, pattern: str) -> tuple[int, ...]:
    """The numbers a pattern captures in a paper (commas dropped), failing if the paper does not say it."""
    match = re.search(pattern, text)
    assert match, f"the paper no longer says {pattern!r}"
    return tuple(int(g.replace(",", "")) for g in match.groups())
