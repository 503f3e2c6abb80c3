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

from scoring import CallFacts, Scorecard, TurnFacts, score
from scoring.rubric import CREDITS, DAMAGE, PER_STEP, REPAIRS, RULES, Rubric, default_rubric

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
    "courteous": "the first reply tagged `courteous` while the customer is upset (mood "
                 "{upset_at} or more when the reply is given, `upset_at`)",
    "interrupt": "every reply tagged `interrupt`",
    "blame": "every reply tagged `blame`",
    "dismiss": "every reply tagged `dismiss`",
    "argue": "every reply tagged `argue`",
    "never_acknowledged": "no reply in the whole call is tagged `acknowledge`",
    "calmed": "the call ends (neither lost nor incomplete) with the customer's mood at least "
              "{calmed_by} below where it started (`calmed_by`)",
    "mood_rise": "every reply that raises the customer's mood, for each step it rises",
    "ended_upset": "the call ends with the mood above where it started, for each step above",
    "customer_lost": "the customer is lost: a walkout at the breaking point, or an `end: lost` "
                     "node (they hung up)",
    "supervisor_no_apology": "`role: supervisor` and no reply tagged `apologise`",
    "missing_step": "each of the four steps that was the trainee's job and was never taken",
    "skipped_step": "each step jumped over by a step taken out of order",
    "no_confirm": "the first `step: propose` with no `confirm` tag on that turn or before",
    "no_idea": "the first `step: propose` with no `ask_idea` tag on that turn or before",
    "no_satisfaction_check": "the first `step: resolve` with no `check_satisfied` tag on that "
                             "turn or after",
    "compensate": "the first reply tagged `compensate` that is not also tagged `overpromise`",
    "follow_up": "the first reply tagged `follow_up`",
    "set_expectation": "the first reply tagged `set_expectation`, unless it is on a hand-off turn "
                       "or the turn after one (there it counts for the hand-off)",
    "supervisor_no_plan": "`role: supervisor` and no reply tagged `set_expectation` or "
                          "`follow_up` (never said what they will do or have done)",
    "early_escalation": "a hand-off before the `understand` step (to an expert, or to a "
                        "supervisor the customer did not ask for)",
    "late_escalation": "in a case that needs an expert or a supervisor, each turn after the one "
                       "with `step: understand` and before the hand-off whose reply neither "
                       "hands off nor prepares it (`step: identify_cause`, or the `confirm` "
                       "tag); not on a turn where the customer asks for a supervisor",
    "had_to_ask": "in a case that needs a supervisor, the first turn on a node with "
                  "`asks_supervisor: true` after a late turn (the customer had to ask)",
    "needless_escalation": "a hand-off in a case the trainee's role can settle "
                           "(`escalation: none`) that the customer had not asked for; also an "
                           "`escalate` that cannot raise the level while the case is the "
                           "trainee's own (passing the customer on)",
    "missing_escalation": "the case needed an expert or a supervisor and that level was never "
                          "reached (and the call fails, unless it was left unfinished)",
    "refused_supervisor": "each turn on a node with `asks_supervisor: true` whose reply does not "
                          "hand over to a supervisor",
    "handoff_no_expectation": "a hand-off with no `set_expectation` on that turn or the next",
    "wrong_level": "a hand-off to an expert in a case that needs a supervisor",
    "good_handoff": "the first correct hand-off with expectations set, not after refusing a "
                    "request for a supervisor",
    "weaponise_policy": "every reply tagged `weaponise_policy`",
    "lie": "every reply tagged `lie` (and the call fails)",
    "overpromise": "every reply tagged `overpromise` (giving or promising what the policy card "
                   "forbids or the trainee's authority does not allow)",
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


def _points(rule: str, value: int) -> str:
    if value == 0:
        return "0 (no event)"
    return f"{value:+d} per step" if rule in PER_STEP else f"{value:+d}"


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
        "| every credit | " + " | ".join(f"{rubric.credits(d):+d}" for d in dims) + " |",
        "",
        f"- Pass mark (`pass_mark`): overall {rubric.pass_mark} or more.",
        f"- Calmed (`calmed_by`): the mood ends at least {rubric.calmed_by} below its start.",
        f"- Upset (`upset_at`): a mood of {rubric.upset_at} or more.",
        f"- Repair (`repair_share`): credits that repair the trainee's own damage earn back at "
        f"most {rubric.repair_share}% of what it cost.",
    ]
    for d in dims:
        top = rubric.bases[d] + rubric.credits(d)
        assert top <= 100, f"{d}: {top}"  # the loader's guarantee
    lines.append("- Base and every credit: " + ", ".join(
        f"{d} {rubric.bases[d]} {rubric.credits(d):+d} = {rubric.bases[d] + rubric.credits(d)}"
        for d in dims) + ": no dimension can pass 100, so no deduction is ever hidden.")
    base, credit = rubric.bases["policy"], rubric.credits("policy")
    for rule in ("weaponise_policy", "overpromise"):
        cost = rubric.points[rule]
        best = min(100, base + credit + cost)
        below = "below" if best < rubric.floors["policy"] else "NOT below"
        lines.append(
            f"- One `{rule}` leaves policy at {best} at best ({base} {credit:+d} {cost:+d}: "
            f"the base, every policy credit, one `{rule}`), {below} its floor of "
            f"{rubric.floors['policy']}.")
    repairs = sum(rubric.points[r] for r in sorted(REPAIRS))
    names = ", ".join(f"`{r}`" for r in sorted(REPAIRS))
    repaired = {RULES[r] for r in REPAIRS}
    for rule in sorted(DAMAGE):
        if RULES[rule] not in repaired:
            lines.append(f"- One `{rule}` costs {-rubric.points[rule]}, more than every "
                         f"repairing credit ({names}) together: {repairs}.")
    lines += [
        "",
        "| rule | dimension | points | when it applies |",
        "|---|---|---|---|",
    ]
    for rule, dimension in RULES.items():
        when = WHEN[rule].format(calmed_by=rubric.calmed_by, upset_at=rubric.upset_at)
        kind = " (credit)" if rule in CREDITS else ""
        lines.append(f"| `{rule}` | {dimension}{kind} | {_points(rule, rubric.points[rule])} | "
                     f"{when} |")
    lines += ["", "Examples, scored by this rubric:", "", *_examples(rubric), "", END]
    return "\n".join(lines)


def _turn(n: int, *tags: str, step: str | None = None, escalate: str | None = None,
          level: tuple[int, int] = (1, 1), asks: bool = False,
          mood: tuple[int, int] = (5, 5)) -> TurnFacts:
    return TurnFacts(turn=n, node=f"n{n}", tags=tags, step=step, escalate=escalate,
                     level_before=level[0], level_after=level[1], asks_supervisor=asks,
                     mood_before=mood[0], mood_after=mood[1])


def _call(*turns: TurnFacts, needs: str = "none", mood: tuple[int, int] = (5, 5),
          outcome: str = "resolved", walked_out: bool = False) -> CallFacts:
    return CallFacts(needs=needs, outcome=outcome, mood_start=mood[0], mood_end=mood[1],
                     turns=turns, walked_out=walked_out)


def _events(card: Scorecard, rule: str) -> str:
    found = [e for e in card.events if e.rule == rule]
    assert found, (rule, card.events)
    return " and ".join(f"{e.points:+d} on turn {e.turn}" for e in found)


def _examples(rubric: Rubric) -> list[str]:
    """One worked example per rule of issue 11, each call scored by the rubric itself."""
    def card(facts: CallFacts) -> Scorecard:
        return score(facts, rubric)

    out = []
    calm = (_turn(1, "acknowledge", "apologise", "courteous", step="understand", mood=(8, 6)),
            _turn(2, "confirm", step="identify_cause", mood=(6, 5)),
            _turn(3, "ask_idea", step="propose", mood=(5, 5)),
            _turn(4, "check_satisfied", step="resolve", mood=(5, 4)))
    upset = (*calm[:2], _turn(3, "ask_idea", step="propose", mood=(5, 6)),
             _turn(4, "check_satisfied", step="resolve", mood=(6, 5)))
    a, b = card(_call(*calm, mood=(8, 4))), card(_call(*upset, mood=(8, 5)))
    out.append(
        f"- **A reply that upsets the customer.** A customer at mood 8; on turn 1 the trainee "
        f"acknowledges, apologises and stays courteous (mood to 6), then takes the four steps in "
        f"order, and the customer ends at 4: empathy {a.dimensions['empathy']}. The same replies, "
        f"but the one on turn 3 has `mood: +1` (5 to 6) and the call ends at 5: `mood_rise` "
        f"{_events(b, 'mood_rise')}, empathy {b.dimensions['empathy']}.")
    left = card(_call(*calm[:3], _turn(4, "check_satisfied", step="resolve", mood=(5, 9)),
                      mood=(8, 9)))
    out.append(
        f"- **Leaving them more upset.** The same call, but the reply on turn 4 takes the mood "
        f"from 5 to 9, one above where it started: `mood_rise` {_events(left, 'mood_rise')}, "
        f"`ended_upset` "
        f"{_events(left, 'ended_upset')}, empathy {left.dimensions['empathy']}.")
    damaged = (_turn(1, "dismiss", step="understand"),
               _turn(2, "apologise", "acknowledge", "confirm", step="identify_cause"),
               _turn(3, "ask_idea", step="propose"), _turn(4, "check_satisfied", step="resolve"))
    clean = (_turn(1, step="understand"), *damaged[1:])
    d, c = card(_call(*damaged)), card(_call(*clean))
    earned = sum(e.points for e in d.events if e.rule in REPAIRS)
    out.append(
        f"- **Dismissive, then an apology.** `dismiss` on turn 1 "
        f"({rubric.points['dismiss']:+d}), then an apology and an acknowledgement on turn 2: "
        f"together they earn back {earned:+d} instead of "
        f"{rubric.points['apologise'] + rubric.points['acknowledge']:+d}; empathy "
        f"{d.dimensions['empathy']}, overall {d.overall}. The same call without the dismissal: "
        f"empathy {c.dimensions['empathy']}, overall {c.overall}.")
    lead = (_turn(1, "acknowledge", "apologise", step="understand"),
            _turn(2, "confirm", step="identify_cause"))
    due = card(_call(*lead, _turn(3, "set_expectation", escalate="expert", level=(1, 2)),
                     needs="expert", outcome="escalated"))
    stall = card(_call(*lead, _turn(3, "ask_idea"), _turn(4, "courteous"),
                       _turn(5, "set_expectation", escalate="expert", level=(1, 2)),
                       needs="expert", outcome="escalated"))
    out.append(
        f"- **Stalling two turns.** `escalation: expert`; `step: understand` on turn 1, "
        f"`step: identify_cause` on turn 2 (preparing), the hand-off on turn 3: escalation "
        f"{due.dimensions['escalation']}. The same call with a reply asking the customer's idea "
        f"and a courteous reply on turns 3 and 4, the hand-off on turn 5: `late_escalation` "
        f"{_events(stall, 'late_escalation')}, escalation {stall.dimensions['escalation']}.")
    asked = card(_call(*lead, _turn(3, step="propose"),
                       _turn(4, "set_expectation", escalate="supervisor", level=(1, 3),
                             asks=True), needs="supervisor", outcome="escalated"))
    ready = card(_call(*lead, _turn(3, "set_expectation", escalate="supervisor", level=(1, 3),
                                    asks=True), needs="supervisor", outcome="escalated"))
    out.append(
        f"- **The customer had to ask.** `escalation: supervisor`; after understanding and "
        f"identifying the cause, the trainee proposes a fix of their own on turn 3, and on turn 4 "
        f"the customer asks for a supervisor (`asks_supervisor: true`), who is brought in at "
        f"once: `late_escalation` {_events(asked, 'late_escalation')}, `had_to_ask` "
        f"{_events(asked, 'had_to_ask')}, escalation {asked.dimensions['escalation']}. Had the "
        f"customer asked on turn 3, right after the cause was found, nothing is charged: "
        f"escalation {ready.dimensions['escalation']}.")
    steps = (_turn(1, "acknowledge", "apologise", step="understand"),
             _turn(2, "confirm", step="identify_cause"), _turn(3, "ask_idea", step="propose"))
    over = card(_call(*steps, _turn(4, "check_satisfied", "overpromise", "compensate",
                                    step="resolve")))
    out.append(
        f"- **One overpromise.** A good call whose last reply gives a credit the policy card "
        f"forbids (`overpromise`, and `compensate`, which earns nothing there): policy "
        f"{over.dimensions['policy']}, overall {over.overall}, and the call fails: "
        f"\"{over.failures[0]}\".")
    alone = card(_call(*steps, _turn(4, "check_satisfied", step="resolve"),
                       needs="supervisor"))
    out.append(
        f"- **A supervisor's case settled alone.** The same four steps taken well in a case with "
        f"`escalation: supervisor`, resolved at level 1: `missing_escalation` "
        f"{_events(alone, 'missing_escalation')}, overall {alone.overall}, and the call fails: "
        f"\"{alone.failures[0]}\".")
    walked = card(_call(_turn(1, "acknowledge", mood=(8, 10)), outcome="lost", mood=(8, 10),
                        walked_out=True))
    hung = card(_call(_turn(1, "acknowledge", mood=(8, 8)), outcome="lost", mood=(8, 8)))
    gone, hanged = (next(e.reason for e in c.events if e.rule == "customer_lost")
                    for c in (walked, hung))
    out.append(
        f"- **Walked out or hung up.** A reply that takes the mood to the breaking point: "
        f"\"{gone}\". A reply that leads to an `end: lost` node: \"{hanged}\".")
    return out


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
