"""Certification tracks: scenarios/tracks/*.yaml -> typed Track models, with positioned errors.

Loaded with the scenarios' own care (yamlsafe: size, aliases, duplicate keys, YAML 1.2 values;
build.Builder: unknown keys refused, every error as `file:line:col`). The Track model itself lives
in scoring/certification.py, which stays pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from scoring.certification import Track

from .bundled import BUNDLED_TRACKS
from .scenario import Diagnostic, Marks, Scenario
from .scenario.build import MISSING, Builder
from .scenario.library import shown_path
from .scenario.yamlsafe import compose_bytes, read_file

__all__ = ["TrackSet", "load_track", "load_tracks"]


@dataclass
class TrackSet:
    tracks: list[Track] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


class _Checks:
    def __init__(self, marks: Marks, scenarios: dict[str, Scenario] | None) -> None:
        self.marks = marks
        self.scenarios = scenarios

    def __call__(self, instance: BaseModel, path: tuple[str | int, ...]) -> list[Diagnostic]:
        if not isinstance(instance, Track):
            return []
        out = [self.marks.error(p, message) for p, message in instance.problems()]
        for i, req in enumerate(instance.requires):
            if req.scenario is None or self.scenarios is None:
                continue
            found = self.scenarios.get(req.scenario)
            if found is None:
                out.append(self.marks.error(("requires", i, "scenario"),
                                            f"no scenario '{req.scenario}' in the library"))
            elif found.seat != instance.seat:
                out.append(self.marks.error(
                    ("requires", i, "scenario"),
                    f"scenario '{req.scenario}' is played as {found.seat}, but this track "
                    f"counts {instance.seat} calls only: it can never be passed"))
        return out


def load_track(path: Path, scenarios: Iterable[Scenario] | None = None
               ) -> tuple[Track | None, list[Diagnostic]]:
    """One track file; `scenarios` (the library) lets scenario requirements be checked."""
    shown = shown_path(path)
    raw, problems = read_file(path, shown)
    if raw is None:
        return None, problems
    root, problems = compose_bytes(raw, shown)
    if root is None:
        return None, problems
    marks = Marks(shown)
    marks.add((), (root.start_mark.line + 1, root.start_mark.column + 1))
    known = {s.id: s for s in scenarios} if scenarios is not None else None
    builder = Builder(marks, _Checks(marks, known))
    built = builder.model(root, Track, ())
    problems = sorted(problems + builder.problems)
    if built is MISSING or any(p.is_error for p in problems):
        return None, problems
    return built, problems


def load_tracks(folder: Path | None = None, scenarios: Iterable[Scenario] | None = None
                ) -> TrackSet:
    """Every *.yaml / *.yml track in `folder` (default: the bundled scenarios/tracks)."""
    folder = folder or BUNDLED_TRACKS
    out = TrackSet()
    if not folder.is_dir():
        return out
    scenarios = list(scenarios) if scenarios is not None else None
    first: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        track, problems = load_track(path, scenarios)
        out.diagnostics += problems
        if track is None:
            continue
        if track.id in first:
            out.diagnostics.append(Diagnostic(shown_path(path), 1, 1, "error",
                                              f"duplicate track id '{track.id}': also in "
                                              f"{shown_path(first[track.id])}"))
            continue
        first[track.id] = path
        out.tracks.append(track)
    return out
