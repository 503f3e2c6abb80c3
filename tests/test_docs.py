"""The documentation stands alone and agrees with the code (issue "House in order", item 7).

- docs/scoring.md quotes the rubric only inside a block generated from scoring/rubric.yaml; the
  prose around it names no number, so the two cannot drift apart. When the rubric changes,
  regenerate the block with:

      .venv/bin/python tests/test_docs.py --write

- README.md and docs/*.md link to files that exist (and to headings that exist), never to the
  `shared/` folder outside the repository.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from scoring.rubric import RULES, Rubric, default_rubric

ROOT = Path(__file__).resolve().parent.parent
SCORING_DOC = ROOT / "docs" / "scoring.md"
BEGIN = ("<!-- rubric:begin: generated from scoring/rubric.yaml by "
         "`python tests/test_docs.py --write`; do not edit by hand -->")
END = "<!-- rubric:end -->"
REGENERATE = "regenerate it with: .venv/bin/python tests/test_docs.py --write"

#: When each rule of the rubric applies, in words (the rules themselves: scoring/rules.py).
#: A rule added to scoring.rubric.RULES needs a line here, so that docs/scoring.md lists it.
WHEN: dict[str, str] = {
    "acknowledge": "the first reply tagged `acknowledge`",
    "apologise": "the first reply tagged `apologise`",
    "courteous": "the first reply tagged `courteous`",
    "interrupt": "every reply tagged `interrupt`",
    "blame": "every reply tagged `blame`",
    "dismiss": "every reply tagged `dismiss`",
    "argue": "every reply tagged `argue`",
    "never_acknowledged": "no reply in the whole call is tagged `acknowledge`",
    "calmed": "the call ends (neither lost nor incomplete) with the customer's mood at least "
              "{calmed_by} below where it started (`calmed_by`)",
    "customer_lost": "the customer is lost (a walkout, or `end: lost`)",
    "supervisor_no_apology": "`role: supervisor` and no reply tagged `apologise`",
    "missing_step": "each of the four steps that was the trainee's job and was never taken",
    "skipped_step": "each step jumped over by a step taken out of order",
    "no_confirm": "the first `step: propose` with no `confirm` tag on that turn or before",
    "no_idea": "the first `step: propose` with no `ask_idea` tag on that turn or before",
    "no_satisfaction_check": "the first `step: resolve` with no `check_satisfied` tag on that "
                             "turn or after",
    "compensate": "the first reply tagged `compensate`",
    "follow_up": "the first reply tagged `follow_up`",
    "set_expectation": "the first reply tagged `set_expectation`, unless it is on a hand-off turn "
                       "or the turn after one (there it counts for the hand-off)",
    "supervisor_no_plan": "`role: supervisor` and no reply tagged `set_expectation` or "
                          "`follow_up` (never said what they will do or have done)",
    "early_escalation": "a hand-off before the `understand` step (to an expert, or to a "
                        "supervisor the customer did not ask for)",
    "needless_escalation": "a hand-off in a case the trainee's role can settle "
                           "(`escalation: none`) that the customer had not asked for; also an "
                           "`escalate` that cannot raise the level while the case is the "
                           "trainee's own (passing the customer on)",
    "missing_escalation": "the case needed an expert or a supervisor and that level was never "
                          "reached",
    "refused_supervisor": "each turn on a node with `asks_supervisor: true` whose reply does not "
                          "hand over to a supervisor",
    "handoff_no_expectation": "a hand-off with no `set_expectation` on that turn or the next",
    "wrong_level": "a hand-off to an expert in a case that needs a supervisor",
    "good_handoff": "a correct hand-off with expectations set, not after refusing a request for "
                    "a supervisor",
    "weaponise_policy": "every reply tagged `weaponise_policy`",
    "lie": "every reply tagged `lie` (and the call fails)",
    "overpromise": "every reply tagged `overpromise`",
    "explain_policy": "the first reply tagged `explain_policy`",
}

#: Prose that must not quote rubric numbers (they belong in the generated block):
#: (file, heading of the section, or None for the whole file outside the block).
NUMBER_FREE = [
    (SCORING_DOC, None),
    (ROOT / "docs" / "writing-scenarios.md", "### How a call is scored"),
]
#: Numbers in that prose that are not the rubric's: the scale of a score, turn numbering, the
#: section numbers of docs/domain.md.
NOT_RUBRIC = re.compile(r"0\.\.100|1-based|\bsections? \d+(?: and \d+)?|domain\.md#[\w-]+")


def _number(value: float) -> str:
    return f"{value:g}"


def _points(value: int) -> str:
    return "0 (no event)" if value == 0 else f"{value:+d}"


def render_rubric(rubric: Rubric | None = None) -> str:
    """The generated block of docs/scoring.md, markers included, from the rubric."""
    rubric = rubric or default_rubric()
    dims = list(rubric.bases)
    lines = [
        BEGIN,
        "",
        f"Rubric version `{rubric.version}`.",
        "",
        "| | " + " | ".join(dims) + " |",
        "|---|" + "---|" * len(dims),
        "| weight | " + " | ".join(_number(rubric.weights[d]) for d in dims) + " |",
        "| base | " + " | ".join(str(rubric.bases[d]) for d in dims) + " |",
        "| floor | " + " | ".join(str(rubric.floors[d]) for d in dims) + " |",
        "",
        f"- Pass mark (`pass_mark`): overall {rubric.pass_mark} or more.",
        f"- Calmed (`calmed_by`): the mood ends at least {rubric.calmed_by} below its start.",
    ]
    base, weapon = rubric.bases["policy"], rubric.points["weaponise_policy"]
    credit = sum(p for r, p in rubric.points.items() if RULES[r] == "policy" and p > 0)
    best = min(100, base + credit + weapon)
    below = "below" if best < rubric.floors["policy"] else "NOT below"
    one_weapon = (
        f"- One `weaponise_policy` leaves policy at {best} at best "
        f"({base} {credit:+d} {weapon:+d}: "
        f"the base, every policy credit, one `weaponise_policy`), {below} its floor of "
        f"{rubric.floors['policy']}.")
    lines += [
        one_weapon,
        "",
        "| rule | dimension | points | when it applies |",
        "|---|---|---|---|",
    ]
    for rule, dimension in RULES.items():
        when = WHEN[rule].format(calmed_by=rubric.calmed_by)
        lines.append(f"| `{rule}` | {dimension} | {_points(rubric.points[rule])} | {when} |")
    lines += ["", END]
    return "\n".join(lines)


def _block_span(text: str) -> tuple[int, int]:
    begin, end = text.find(BEGIN), text.find(END)
    assert begin >= 0 and end > begin, (
        f"{SCORING_DOC.relative_to(ROOT)} has no generated rubric block ({BEGIN} ... {END}): "
        f"add the two markers, then {REGENERATE}")
    return begin, end + len(END)


def write_rubric_block() -> bool:
    """Rewrite the generated block of docs/scoring.md; True when it changed."""
    text = SCORING_DOC.read_text(encoding="utf-8")
    begin, end = _block_span(text)
    new = text[:begin] + render_rubric() + text[end:]
    if new != text:
        SCORING_DOC.write_text(new, encoding="utf-8")
    return new != text


def test_every_rule_says_when_it_applies() -> None:
    assert set(WHEN) == set(RULES), (
        f"tests/test_docs.py WHEN must describe exactly the rules of scoring.rubric.RULES: "
        f"missing {sorted(set(RULES) - set(WHEN))}, unknown {sorted(set(WHEN) - set(RULES))}")


def test_scoring_doc_block_is_the_rubric() -> None:
    text = SCORING_DOC.read_text(encoding="utf-8")
    begin, end = _block_span(text)
    stored, expected = text[begin:end], render_rubric()
    if stored != expected:
        diff = "\n".join(difflib.unified_diff(
            stored.splitlines(), expected.splitlines(), "docs/scoring.md", "scoring/rubric.yaml",
            lineterm=""))
        raise AssertionError(
            f"docs/scoring.md disagrees with scoring/rubric.yaml: {REGENERATE}\n{diff}")


def _prose(path: Path, heading: str | None) -> str:
    text = path.read_text(encoding="utf-8")
    if BEGIN in text:
        begin, end = _block_span(text)
        text = text[:begin] + text[end:]
    if heading is not None:
        start = text.index(heading + "\n")
        level = heading.split(" ")[0]
        following = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE)
        stop = following.search(text, start + len(heading))
        text = text[start + len(heading): stop.start() if stop else len(text)]
    return NOT_RUBRIC.sub("", text)


def test_scoring_prose_quotes_no_rubric_number() -> None:
    for path, heading in NUMBER_FREE:
        prose = _prose(path, heading)
        found = [(prose.count("\n", 0, m.start()) + 1, m.group())
                 for m in re.finditer(r"[+-]?\d+(?:\.\d+)?", prose)]
        where = f"{path.relative_to(ROOT)}" + (f", section {heading!r}" if heading else "")
        assert not found, (
            f"{where} quotes numbers outside the generated rubric block: {found}. Rubric numbers "
            "belong in the block of docs/scoring.md (render_rubric in tests/test_docs.py), so "
            "that they cannot drift from scoring/rubric.yaml")


# -- links -------------------------------------------------------------------------------------

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:...


def _without_code(text: str) -> str:
    return CODE.sub("", FENCE.sub("", text))


def _links(path: Path) -> list[str]:
    text = _without_code(path.read_text(encoding="utf-8"))
    return LINK.findall(text) + REFERENCE.findall(text)


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def test_docs_do_not_depend_on_the_shared_folder() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*"))]:
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert "shared/" not in line and "../shared" not in line, (
                f"{path.relative_to(ROOT)}:{number} refers to the shared/ folder, which is not in "
                f"the repository: link to the page in docs/ instead\n{line}")


def test_every_relative_link_points_to_a_file_that_exists() -> None:
    broken = []
    for path in DOCS:
        for target in _links(path):
            if EXTERNAL.match(target):
                continue
            file, _, anchor = target.partition("#")
            dest = (path.parent / file).resolve() if file else path
            where = f"{path.relative_to(ROOT)}: ({target})"
            if not dest.exists():
                broken.append(f"{where}: no such file")
            elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
                broken.append(f"{where}: no heading with that anchor")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_the_docs_have_links_to_check() -> None:
    """Guards the link test against a pattern that silently matches nothing."""
    assert "docs/domain.md" in _links(ROOT / "README.md")
    assert "docs/scenario-format.md" in _links(ROOT / "README.md")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_docs.py --write   (regenerates the rubric block of "
                 "docs/scoring.md from scoring/rubric.yaml)")
    changed = write_rubric_block()
    print(f"{SCORING_DOC.relative_to(ROOT)}: " + ("rubric block rewritten" if changed
                                                  else "rubric block already up to date"))
