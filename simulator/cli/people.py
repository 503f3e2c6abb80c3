"""`hotseat people add|list|set|newcomers|passwd`: people, roles, teams and passwords (`hotseat
trainee` is kept as an alias of add-or-set). Only an admin sets roles; a supervisor manages their
own teams' trainees; anyone else is refused with one line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scoring.vocabulary import Role

from ..text import json_text, printable
from .common import asking, login_name, open_engine, say, with_common
from .formats import to_csv, to_table

__all__ = ["register"]

COLUMNS = ("name", "display_name", "role", "team", "supervises")


def register(sub: Any) -> None:
    people = sub.add_parser("people", help="people, their roles and teams")
    verbs = people.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help="add a person (a trainee unless an admin says otherwise)",
                         parents=[with_common()])
    _person_options(p)
    p.set_defaults(func=cmd_add)

    p = verbs.add_parser("set", help="change a person's role, team or display name",
                         parents=[with_common()])
    _person_options(p)
    p.add_argument("--supervises", metavar="TEAMS",
                   help="comma-separated teams a supervisor looks after besides their own "
                        "(admins only; an empty value clears them)")
    p.set_defaults(func=cmd_set)

    p = verbs.add_parser("list", help="the people you may see", parents=[with_common()])
    p.add_argument("--team", metavar="TEAM")
    p.add_argument("--role", choices=tuple(Role))
    _format_option(p)
    p.set_defaults(func=cmd_list)

    p = verbs.add_parser("newcomers", help="may unknown people start as trainees on their own? "
                                           "(admins only)", parents=[with_common()])
    p.add_argument("policy", choices=("trainee", "refuse"), nargs="?",
                   help="trainee (the default): yes, with a trainee's rights; refuse: an admin "
                        "or a supervisor adds them first; none: say what it is now")
    p.set_defaults(func=cmd_newcomers)

    p = verbs.add_parser("passwd", help="set a person's password for a served Hotseat "
                         "(`hotseat serve`): your own, or as an admin anyone's",
                         parents=[with_common()])
    p.add_argument("name", metavar="NAME")
    p.add_argument("--stdin", action="store_true",
                   help="read the password from the first line of standard input (for "
                        "scripts) instead of asking twice at the terminal")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("trainee", help="add a person, or change their team, role or display "
                                       "name (the same as `people add` or `people set`)")
    _person_options(p)
    p.set_defaults(func=cmd_trainee)


def _person_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=tuple(Role), help="admins only")
    p.add_argument("--team", metavar="TEAM")
    p.add_argument("--display-name", metavar="TEXT")


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")


def _describe(person: Any) -> str:
    return printable(f"{person.name}: role {person.role}, team {person.team or '-'}, "
                     f"display name {person.display_name or '-'}", keep_newlines=False)


def _change(args: argparse.Namespace, verb: str) -> int:
    """Add (`add`), change (`set`) or add-or-change (`trainee`) the person `args.name`."""
    from .. import db

    extra: dict[str, Any] = {}
    if getattr(args, "supervises", None) is not None:
        extra["supervises"] = [t.strip() for t in args.supervises.split(",") if t.strip()]
    engine = open_engine(args)
    try:
        viewer = asking(engine, args)  # the first person of a new database is added here
        if verb == "trainee":
            verb = "set" if db.find_person(engine, args.name) else "add"
        change = db.set_person if verb == "set" else db.add_person
        person = change(engine, viewer, args.name, role=args.role, team=args.team,
                        display_name=args.display_name, **extra)
    finally:
        engine.dispose()
    say(_describe(person))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    return _change(args, "add")


def cmd_set(args: argparse.Namespace) -> int:
    return _change(args, "set")


def cmd_trainee(args: argparse.Namespace) -> int:
    return _change(args, "trainee")


def cmd_list(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        people = db.list_people(engine, viewer, team=args.team, role=args.role)
        teams = db.supervised_teams(engine, [p.id for p in people if p.id is not None])
    finally:
        engine.dispose()
    rows = [{"name": p.name, "display_name": p.display_name, "role": p.role, "team": p.team,
             "supervises": sorted(teams.get(p.id or 0, ()))} for p in people]
    if args.format == "json":
        say(json_text({"people": rows}))
    elif args.format == "csv":
        print(to_csv(rows, COLUMNS), end="")
    else:
        say(to_table(rows, COLUMNS))
    return 0


def cmd_newcomers(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        if args.policy is None:
            say(f"newcomers: {db.get_setting(engine, db.NEWCOMERS, 'trainee')}")
            return 0
        viewer = asking(engine, args)
        db.set_setting(engine, viewer, db.NEWCOMERS, args.policy)
    finally:
        engine.dispose()
    say(f"newcomers: {args.policy}")
    return 0


def _read_password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, or typed twice without echo."""
    import getpass

    from .common import UserError

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError("--stdin: standard input is empty: give the password on its "
                            "first line")
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask the password at: type it at a terminal, or pipe "
                        "it with --stdin")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise UserError("the two passwords differ: nothing was changed")
    return first


def cmd_passwd(args: argparse.Namespace) -> int:
    from .. import db
    from ..db.passwords import check_password, may_set_password, set_password

    engine = open_engine(args)
    try:
        me = db.normalise(login_name()) == db.normalise(args.name)
        viewer = asking(engine, args, create=me)  # one's own: known from now on
        may_set_password(engine, viewer, args.name)  # before asking for it
        password = check_password(_read_password(args.stdin))
        person = set_password(engine, viewer, args.name, password)
    finally:
        engine.dispose()
    say(printable(f"{person.name}: password set", keep_newlines=False))
    return 0
