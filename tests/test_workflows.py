"""The GitHub workflows, audited offline by zizmor: no finding above informational."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ZIZMOR = Path(sys.executable).parent / "zizmor"
WORKFLOWS = ROOT / ".github" / "workflows"


def findings(persona: str) -> list[dict]:
    result = subprocess.run(
        [str(ZIZMOR), "--offline", f"--persona={persona}", "--format=json", str(WORKFLOWS)],
        capture_output=True, text=True, timeout=120,
    )
    # zizmor exits non-zero when it finds something; the JSON on stdout says what.
    assert result.stdout.strip().startswith("["), result.stderr
    return json.loads(result.stdout)


def describe(found: list[dict]) -> list[str]:
    def where(finding: dict) -> str:
        location = finding["locations"][0]
        path = next(iter(location["symbolic"]["key"].values()))
        row = location["concrete"]["location"]["start_point"]["row"] + 1
        return f"{path.get('verbatim_path') or path.get('given_path')}:{row}"

    return [f"{where(f)}: {f['ident']} ({f['determinations']['severity']}): {f['desc']}" for f in found]


def test_workflows_have_no_finding_above_informational() -> None:
    # The auditor persona reports everything zizmor knows, including what the default run suppresses.
    serious = [f for f in findings("auditor") if f["determinations"]["severity"] != "Informational"]
    assert not serious, "\n".join(describe(serious))


def test_every_action_is_pinned_to_a_commit_and_checkout_keeps_no_credentials() -> None:
    for workflow in WORKFLOWS.glob("*.yml"):
        lines = workflow.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if "uses:" in line:
                ref = line.split("uses:", 1)[1].split("#")[0].strip()
                sha = ref.rpartition("@")[2]
                assert len(sha) == 40 and all(c in "0123456789abcdef" for c in sha), f"{workflow.name}:{number}: {ref}"
                assert "# v" in line, f"{workflow.name}:{number}: say which version the commit is"
            if "actions/checkout@" in line:
                assert "persist-credentials: false" in "\n".join(lines[number : number + 4]), f"{workflow.name}:{number}"
