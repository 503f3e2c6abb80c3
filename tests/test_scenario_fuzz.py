"""Property: whatever a trainer's editor leaves in a file, the loader answers with a scenario or
with positioned problems, and never raises."""

from __future__ import annotations

from corepaths import GOOD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.scenario import load_bytes

SOURCE = GOOD.read_text(encoding="utf-8")
LINES = SOURCE.splitlines(keepends=True)
TOKENS = ["no", "~", "&a", "*a", "!!str", "<<: *a", "[", "]", "{", "}", ":", "- ", "\t", "'",
          '"', "---", "...", "x-", "nodes:", "next: opening", "  ", "\n", "%YAML 1.1\n",
          "step: propose", "escalate: expert", "mood: 99", "end: resolved", "options: []"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "chop", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(TOKENS)) + lines[i][at:]
        elif kind == "chop":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            lines[i] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[i]
    raw = "".join(lines).encode("utf-8")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=3)) + raw[at:]
    return raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_load_or_report_positioned_problems(raw: bytes) -> None:
    scenario, problems = load_bytes(raw, "mutant.yaml")
    if scenario is None:
        assert any(p.is_error for p in problems)
    for p in problems:
        assert p.path == "mutant.yaml"
        assert p.line >= 1 and p.column >= 1
        assert p.severity in ("error", "warning") and p.message
        assert str(p).startswith(f"mutant.yaml:{p.line}:{p.column}: {p.severity}: ")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    scenario, problems = load_bytes(text.encode("utf-8", "surrogatepass"), "any.yaml")
    assert scenario is None or not any(p.is_error for p in problems)
