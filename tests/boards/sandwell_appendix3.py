"""Appendix 3 of Sandwell's Cabinet paper of 19 September 2018: 'Members of the Sandwell
Children's Trust Board', Name | Board Role | Professional Capacity, in the paper's order.

One copy for every test that checks the ratification table (boards pages and CSV, the reports
PDF). ``rows_from_the_paper`` reads the same table out of the seed paper itself, so the copy
here cannot drift from the source.
"""

from pathlib import Path

SEEDS = Path("/work/shared/seeds")
HEADERS = ("Name", "Board Role", "Professional Capacity")
RATIFIED_ON = "2018-09-19"

APPENDIX_3 = [
    ("Rt Hon Jacqui Smith", "Chair", "Former Cabinet Minister"),
    ("Cllr Paul Sanders", "Council appointed Non-Executive Director", "Elected member"),
    ("Stuart Lackenby", "Council appointed Non-Executive Director", "Director of Prevention & Protection, SMBC"),
    ("Stephen Rimmer", "Non-Executive Director", "Director of Impact and Learning, Barnardos"),
    ("Linda Sanders", "Non-Executive Director", "Former Director of Children's Services"),
    ("Vineeta Manchanda", "Non-Executive Director", "Senior Finance Manager"),
    ("Frances Craven", "Executive Director", "Chief Executive, SCT"),
    ("Dan Mortiboys", "Executive Director", "Director of Resources, SCT"),
    ("Steven Gauntley", "Executive Director", "Director of Quality & Performance, SCT"),
]


def sandwell_paper() -> Path | None:
    """The Sandwell Cabinet paper (seed file 002_*), or None where the seeds are not mounted."""
    return next(SEEDS.glob("002_*.txt"), None)


def rows_from_the_paper(path: Path) -> list[tuple[str, ...]]:
    """The rows under the tab-separated header of Appendix 3, up to the first blank line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("\t".join(HEADERS)) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(tuple(line.split("\t")))
    return rows
