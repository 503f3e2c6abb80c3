"""trainees.db: durable calls, scorecards, wrap-ups and certificates (SQLite or PostgreSQL).

No engine exists at import time: call `make_engine(url)`. Every write is one short transaction,
committed before the function returns. See docs/reviewing-a-team.md for what is stored and why.
"""

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
from .certificates import record_certificates, stored_certificates
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
from .queries import (
                    call_events,
                    call_transcript,
                    calls_of,
                    count_calls,
                    find_trainee,
                    get_call,
                    get_wrapup,
                    recent_calls,
                    trainees,
)
from .records import MODES, ROLES, CallSummary
from .report import Report, build_report
from .rescore import Rescored, rescore_calls
from .tables import Call, CallEvent, Certificate, Trainee, Turn, wrapups

__all__ = [
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
                    "Rescored",
                    "Trainee",
                    "Turn",
                    "abandon_call",
                    "build_report",
                    "call_events",
                    "call_transcript",
                    "calls_of",
                    "count_calls",
                    "current_revision",
                    "explain",
                    "find_trainee",
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
                    "record_certificates",
                    "record_line",
                    "recover_interrupted",
                    "rescore_calls",
                    "resolve_url",
                    "save_wrapup",
                    "set_role",
                    "shown_url",
                    "start_call",
                    "stored_certificates",
                    "trainees",
                    "wrapups",
                    "writing",
]
