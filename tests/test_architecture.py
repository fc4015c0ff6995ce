"""The layers are enforced: import-linter's contracts in pyproject.toml pass on the code and fail on
a wrong arrow.

Each wrong import is added to a copy of the source in a temporary folder and checked against the
project's own ``[tool.importlinter]`` section, read verbatim, so removing or loosening a contract
makes the matching case below fail.
"""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _copy_source(tmp_path: Path) -> Path:
    for package in _config()["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=lambda folder, names: (
                [n for n in names if not (n.endswith(".py") or (Path(folder) / n).is_dir())] + ["__pycache__"]
            ),
        )
    # The project's own contracts, as written: nothing else from pyproject.toml is needed.
    pyproject = (ROOT / "pyproject.toml").read_text()
    start = pyproject.index("[tool.importlinter]")
    end = pyproject.find("\n[tool.", start + 1)
    (tmp_path / ".importlinter.toml").write_text(pyproject[start : end if end != -1 else None])
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / ".importlinter.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_every_contract(tmp_path):
    result = _lint(_copy_source(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_name_the_three_layers():
    layers = next(c for c in _config()["contracts"] if c["type"] == "layers")["layers"]
    assert layers[0] == "reports | opendata | onboarding | public | search"
    assert layers[-3:] == ["trustgov.accounts", "trustgov.organisations", "trustgov.core"]


# (module to add, its source, the contract that must report it). Some imports sit inside a function:
# those count as much as a top-level one.
WRONG_ARROWS = [
    ("trustgov/core/wrong.py", "from contracts.models import Contract\n", "The platform imports no domain app"),
    ("trustgov/core/wrong.py", "def f():\n    import trustgov.accounts.models\n", "Consumers -> domain -> platform"),
    ("trustgov/organisations/wrong.py", "from trustgov.accounts import models\n", "Consumers -> domain -> platform"),
    ("trustgov/accounts/wrong.py", "import opendata.api\n", "The platform imports no domain app"),
    ("contracts/wrong.py", "def f():\n    from boards import models\n", "Consumers -> domain -> platform"),
    ("boards/wrong.py", "import performance.models\n", "Consumers -> domain -> platform"),
    ("boards/wrong.py", "def f():\n    from meetings import models\n", "Consumers -> domain -> platform"),
    ("contracts/wrong.py", "import reports.sections\n", "Consumers -> domain -> platform"),
    ("performance/wrong.py", "from meetings import models\n", "Consumers -> domain -> platform"),
    ("performance/wrong.py", "from boards import selectors\n", "Performance reads contracts only"),
    (
        "meetings/wrong.py",
        "def f():\n    from performance.models import MonthlyReturn\n",
        "Meetings does not read performance",
    ),
    ("reports/wrong.py", "import opendata.api\n", "Consumers -> domain -> platform"),
    ("reports/wrong.py", "import onboarding.plan\n", "Consumers -> domain -> platform"),
    ("performance/wrong.py", "def f():\n    from onboarding import spec\n", "Consumers -> domain -> platform"),
    ("meetings/wrong.py", "from public import selectors\n", "Consumers -> domain -> platform"),
    ("public/wrong.py", "import reports.sections\n", "Consumers -> domain -> platform"),
    ("trustgov/core/wrong.py", "import public.views\n", "The platform imports no domain app"),
    ("meetings/wrong.py", "from search import engine\n", "Consumers -> domain -> platform"),
    ("search/wrong.py", "import public.selectors\n", "Consumers -> domain -> platform"),
    ("public/wrong.py", "def f():\n    from search import kinds\n", "Consumers -> domain -> platform"),
    ("trustgov/core/wrong.py", "import search.views\n", "The platform imports no domain app"),
]


@pytest.mark.parametrize(("module", "source", "contract"), WRONG_ARROWS, ids=[m + ":" + s for m, s, _ in WRONG_ARROWS])
def test_a_wrong_import_breaks_the_build(tmp_path, module, source, contract):
    tree = _copy_source(tmp_path)
    (tree / module).write_text(source)
    result = _lint(tree)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout


def test_the_platform_source_names_no_domain_app_or_consumer():
    """The issue's own check: grep the platform for an import of a domain app or a consumer."""
    pattern = re.compile(
        r"^\s*(from|import)\s+(contracts|boards|performance|meetings|reports|opendata|onboarding|public|search)\b", re.M
    )
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in sorted((ROOT / "trustgov").rglob("*.py"))
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []
