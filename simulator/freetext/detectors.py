"""Detectors on the rep's own words (issue 15, item 4): an apology, an acknowledgement of the
customer's feeling, blame put on the customer, a vague promise, policy used to refuse.

Each is a list of word patterns in English, French and Dutch, matched on the typed text folded
to lower case without accents. A detector adds its tag to the turn, and so score events, only
when its precision is at least `SCORING_PRECISION` both on the evaluation set and on the bundled
library's own options (held out: the patterns were written with the evaluation set in view, so
its figure alone flatters them). tools/calibrate_freetext.py keeps the figures and the verdict
in thresholds.toml's [detectors] table, and a test measures them again. The others are coach
notes: said on the scorecard, worth no points.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .engines import _fold

__all__ = ["DETECTORS", "SCORING_PRECISION", "Detection", "Detector", "detect", "found",
           "may_score", "scoring"]

SCORING_PRECISION = 0.9
"""The precision on the evaluation set a detector needs before it changes a score."""


@dataclass(frozen=True)
class Detector:
    signal: str
    tag: str | None
    """The scenario-format tag it stands for (None: no tag says it; a note at most)."""
    note: str
    """The coach's note when it is not allowed to score."""
    patterns: tuple[str, ...]

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.patterns)


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b(?:{p})\b" for p in patterns))


FEELINGS = (r"frustrating|annoying|worrying|alarming|scary|frightening|maddening|embarrassing|"
            r"upsetting|stressful|confusing|inquietant|genant|agacant|frustrant|penible|"
            r"stressant|vervelend|naar|frustrerend|zorgelijk")

DETECTORS = (
    Detector("apology", "apologise", "You apologised in your own words.", (
        r"sorry", r"apologi[sz]e\w*", r"my apologies", r"forgive me",
        r"desolee?s?", r"excusez[- ]moi", r"je vous prie de m excuser", r"nos excuses",
        r"veuillez m excuser", r"het spijt me", r"excuses", r"excuus",
    )),
    Detector("acknowledgement", "acknowledge", "You named the customer's feeling.", (
        r"i understand", r"i can (?:hear|tell|imagine|see how)", r"i get it",
        rf"(?:s|is|be|been|feel|feels)(?: really| so| very| quite)? (?:{FEELINGS})",
        r"je comprends", rf"c est(?: vraiment| tres| tellement)? (?:{FEELINGS})",
        r"ca a du etre", r"ik begrijp", r"begrijp ik", rf"wat (?:{FEELINGS}|erg)", r"vervelend",
    )),
    Detector("blame", "blame", "That puts the blame on the customer.", (
        r"you should(?:n t)? have", r"you should ve", r"if you d", r"if you had",
        r"you must have", r"did you maybe", r"maybe you", r"are you sure",
        r"(?<!not )(?<!isn t )your (?:fault|mistake)",
        r"(?:it s|its|that s|probably) your (?:wifi|bank|fault)",
        r"people drop", r"not enough money",
        r"vous auriez du", r"si vous aviez", r"il fallait", r"fallait",
        r"vous etes sur", r"peut etre (?:fait tomber|abonne)", r"votre faute",
        r"forcement (?:de )?votre", r"u had moeten", r"heeft u misschien", r"u heeft vast",
        r"uw (?:eigen )?(?:schuld|fout)", r"weet u (?:het )?zeker",
    )),
    Detector("vague_promise", None,
             "A vague promise: say what will happen, by when, and who will do it.", (
        r"(?:it ll|it will|that ll) (?:sort itself out|be fine|be ok|be there)",
        r"should be (?:fine|there|ok)", r"don t worry", r"dont worry", r"these things happen",
        r"they always", r"sometime", r"i d (?:imagine|think)", r"by itself", r"on its own",
        r"will (?:drop off|disappear)", r"nothing (?:ever )?(?:is|gets) (?:ever )?lost",
        r"tout seule?", r"s arranger", r"ne vous inquietez pas", r"va (?:partir|disparaitre)",
        r"vanzelf", r"komt (?:vast |wel |vast wel )?goed", r"lossen het vast",
    )),
    Detector("policy_refusal", "weaponise_policy",
             "Policy used to refuse: give the reason for the rule and what you can do.", (
        r"(?:company |our )?policy", r"the rules", r"procedure", r"terms(?: and conditions)?",
        r"make the rules", r"my rules", r"that s (?:just )?how it (?:is|works)",
        r"politique", r"la regle", r"reglement", r"c est comme ca",
        r"j y peux rien", r"je n y peux rien", r"pas notre rayon", r"a prendre ou a laisser",
        r"beleid", r"voorwaarden", r"kan ik (?:niks|niets) aan doen", r"mag ik niet",
        r"zo werkt het", r"maximale?", r"maximum",
    )),
)


@dataclass(frozen=True)
class Detection:
    signals: frozenset[str]
    """Every detector that fired."""
    tags: tuple[str, ...]
    """The tags of those allowed to score (precision at least SCORING_PRECISION)."""
    notes: tuple[str, ...]
    """The coach's notes of those that fired and may not score."""


def found(text: str) -> frozenset[str]:
    """The signals whose patterns occur in `text`."""
    folded = f" {_fold(text)} "
    return frozenset(d.signal for d in DETECTORS if d.regex.search(folded))


@cache
def scoring(text: str | None = None) -> frozenset[str]:
    """The detectors allowed to score, as thresholds.toml's [detectors] table says."""
    if text is None:
        text = resources.files(__package__).joinpath("thresholds.toml").read_text("utf-8")
    table = tomllib.loads(text).get("detectors", {})
    return frozenset(d.signal for d in DETECTORS
                     if d.tag is not None and table.get(d.signal, {}).get("scores") is True)


def may_score(precision: float, library_precision: float | None) -> bool:
    """The rule: at least SCORING_PRECISION on the set and on the library's options."""
    return (precision >= SCORING_PRECISION and library_precision is not None
            and library_precision >= SCORING_PRECISION)


def detect(text: str, already: Collection[str] = ()) -> Detection:
    """What the rep's words do: the tags that score, the notes that do not. A detector whose
    tag is `already` on the option played adds nothing and says nothing (the option's own
    scoring says it)."""
    signals = found(text)
    allowed = scoring()
    tags: list[str] = []
    notes: list[str] = []
    for d in DETECTORS:
        if d.signal not in signals or (d.tag is not None and d.tag in already):
            continue
        if d.tag is not None and d.signal in allowed:
            tags.append(d.tag)
        else:
            notes.append(d.note)
    return Detection(signals, tuple(tags), tuple(notes))
