"""trainees.db: durable calls, scorecards, wrap-ups and certificates (SQLite or PostgreSQL).

No engine exists at import time: call `make_engine(url)`. Every write is one short transaction,
committed before the function returns. See docs/reviewing-a-team.md for what is stored and why.
"""

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calibrations import BadCalibration, calibrate, calibration_pairs, check_calibrator
    from .calls import (
                        STALE_AFTER,
                        abandon_call,
                        finish_call,
                        get_or_create_trainee,
                        record_line,
                        recover_interrupted,
                        save_wrapup,
                        set_role,
                        start_call,
                        writing,
    )
    from .certificates import certify_overridden, record_certificates, stored_certificates
    from .connect import make_engine
    from .engine import (
                        DEFAULT_URL,
                        HEAD,
                        READ_ONLY_NOTE,
                        DatabaseError,
                        current_revision,
                        explain,
                        init_db,
                        is_memory,
                        is_read_only,
                        parse_url,
                        resolve_url,
                        shown_url,
    )
    from .overview import TraineeOverview, TrendPoint, team_overview, trend
    from .people import (
                        NEWCOMERS,
                        SYSTEM,
                        Refused,
                        Viewer,
                        add_person,
                        find_person,
                        get_setting,
                        list_people,
                        normalise,
                        set_person,
                        set_setting,
                        sign_in,
                        supervised_teams,
                        view_as,
                        visible,
    )
    from .queries import (
                        call_events,
                        call_transcript,
                        calls_of,
                        count_calls,
                        get_call,
                        get_wrapup,
                        recent_calls,
                        scenario_results,
                        trainees,
    )
    from .quotients import QuotientEntry, quotient_history, record_quotient
    from .records import MODES, ROLES, CallSummary
    from .report import Report, build_report
    from .rescore import Rescored, adopt_scorecards, rescore_calls
    from .reviews import (
                        BadReview,
                        ReviewEntry,
                        ReviewSummary,
                        Verdict,
                        add_comment,
                        check_reviewer,
                        override,
                        review_summaries,
                        reviews_of,
                        verdict_of,
    )
    from .tables import (
                        Calibration,
                        Call,
                        CallEvent,
                        Certificate,
                        Quotient,
                        Review,
                        ScenarioSource,
                        Scorecard,
                        SiteSetting,
                        SupervisedTeam,
                        Trainee,
                        Turn,
                        wrapups,
    )
    from .verify import Finding, seal_records, verify

_HOME = {  # each name, the module it is defined in (imported on first use)
    "BadCalibration": "calibrations",
    "BadReview": "reviews",
    "Calibration": "tables",
    "Call": "tables",
    "CallEvent": "tables",
    "CallSummary": "records",
    "Certificate": "tables",
    "DEFAULT_URL": "engine",
    "DatabaseError": "engine",
    "Finding": "verify",
    "HEAD": "engine",
    "MODES": "records",
    "NEWCOMERS": "people",
    "Quotient": "tables",
    "QuotientEntry": "quotients",
    "READ_ONLY_NOTE": "engine",
    "ROLES": "records",
    "Refused": "people",
    "Report": "report",
    "Rescored": "rescore",
    "Review": "tables",
    "ReviewEntry": "reviews",
    "ReviewSummary": "reviews",
    "STALE_AFTER": "calls",
    "SYSTEM": "people",
    "ScenarioSource": "tables",
    "Scorecard": "tables",
    "SiteSetting": "tables",
    "SupervisedTeam": "tables",
    "Trainee": "tables",
    "TraineeOverview": "overview",
    "TrendPoint": "overview",
    "Turn": "tables",
    "Verdict": "reviews",
    "Viewer": "people",
    "abandon_call": "calls",
    "add_comment": "reviews",
    "add_person": "people",
    "adopt_scorecards": "rescore",
    "build_report": "report",
    "calibrate": "calibrations",
    "calibration_pairs": "calibrations",
    "call_events": "queries",
    "call_transcript": "queries",
    "calls_of": "queries",
    "certify_overridden": "certificates",
    "check_calibrator": "calibrations",
    "check_reviewer": "reviews",
    "count_calls": "queries",
    "current_revision": "engine",
    "explain": "engine",
    "find_person": "people",
    "finish_call": "calls",
    "get_call": "queries",
    "get_or_create_trainee": "calls",
    "get_setting": "people",
    "get_wrapup": "queries",
    "init_db": "engine",
    "is_memory": "engine",
    "is_read_only": "engine",
    "list_people": "people",
    "make_engine": "connect",
    "normalise": "people",
    "override": "reviews",
    "parse_url": "engine",
    "quotient_history": "quotients",
    "recent_calls": "queries",
    "record_certificates": "certificates",
    "record_line": "calls",
    "record_quotient": "quotients",
    "recover_interrupted": "calls",
    "rescore_calls": "rescore",
    "resolve_url": "engine",
    "review_summaries": "reviews",
    "reviews_of": "reviews",
    "save_wrapup": "calls",
    "scenario_results": "queries",
    "seal_records": "verify",
    "set_person": "people",
    "set_role": "calls",
    "set_setting": "people",
    "shown_url": "engine",
    "sign_in": "people",
    "start_call": "calls",
    "stored_certificates": "certificates",
    "supervised_teams": "people",
    "team_overview": "overview",
    "trainees": "queries",
    "trend": "overview",
    "verdict_of": "reviews",
    "verify": "verify",
    "view_as": "people",
    "visible": "people",
    "wrapups": "tables",
    "writing": "calls",
}


class _Package(ModuleType):
    """This package's module: when a submodule that shares its name with a function of the
    package (`verify`) is imported, the import system sets it as the package's attribute; the
    package keeps the function under that name, as its eager imports did."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _HOME.get(name) == name and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """A name of the package, imported from its module on first use (PEP 562): importing
    a module of this package (simulator.db.raw, the fast read path) does not import
    SQLAlchemy and every other module with it."""
    from importlib import import_module

    module = _HOME.get(name)
    if module is None:  # a module of the package (`db.engine`), as an eager import made it
        try:
            return import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
                    "BadCalibration",
                    "BadReview",
                    "Calibration",
                    "Quotient",
                    "QuotientEntry",
                    "Review",
                    "ReviewEntry",
                    "ReviewSummary",
                    "TraineeOverview",
                    "TrendPoint",
                    "Verdict",
                    "add_comment",
                    "calibrate",
                    "calibration_pairs",
                    "check_calibrator",
                    "check_reviewer",
                    "override",
                    "quotient_history",
                    "record_quotient",
                    "review_summaries",
                    "reviews_of",
                    "team_overview",
                    "trend",
                    "verdict_of",
                    "NEWCOMERS",
                    "SYSTEM",
                    "Refused",
                    "Viewer",
                    "add_person",
                    "find_person",
                    "get_setting",
                    "list_people",
                    "normalise",
                    "set_person",
                    "set_setting",
                    "sign_in",
                    "supervised_teams",
                    "view_as",
                    "visible",
                    "DEFAULT_URL",
                    "HEAD",
                    "MODES",
                    "READ_ONLY_NOTE",
                    "ROLES",
                    "STALE_AFTER",
                    "Call",
                    "CallEvent",
                    "CallSummary",
                    "Certificate",
                    "DatabaseError",
                    "Report",
                    "Finding",
                    "Rescored",
                    "ScenarioSource",
                    "Scorecard",
                    "SiteSetting",
                    "SupervisedTeam",
                    "Trainee",
                    "Turn",
                    "abandon_call",
                    "adopt_scorecards",
                    "build_report",
                    "call_events",
                    "call_transcript",
                    "calls_of",
                    "count_calls",
                    "current_revision",
                    "explain",
                    "finish_call",
                    "get_call",
                    "get_or_create_trainee",
                    "get_wrapup",
                    "init_db",
                    "is_memory",
                    "is_read_only",
                    "make_engine",
                    "parse_url",
                    "recent_calls",
                    "scenario_results",
                    "certify_overridden", "record_certificates",
                    "record_line",
                    "recover_interrupted",
                    "rescore_calls",
                    "resolve_url",
                    "save_wrapup",
                    "seal_records",
                    "set_role",
                    "shown_url",
                    "start_call",
                    "stored_certificates",
                    "trainees",
                    "verify",
                    "wrapups",
                    "writing",
]
