"""Passwords for a served Hotseat (`hotseat serve`): stored only as salted scrypt hashes.

In a terminal Hotseat takes who is asking from the operating system (or $HOTSEAT_USER); in a
browser there is no such thing, so a person logs in with their name and a password.

- `set_password`: an admin sets anyone's password, a supervisor their teams' trainees', anyone
  their own. The row keeps the hash (scrypt from the standard library, a fresh 16-byte salt per
  password), who set it and when, and a seal (HMAC with the site key, as every record): a hash
  written outside Hotseat does not match its seal and is refused at login.
- `log_in`: the person, when the name and password match; one plain refusal otherwise, whether
  the name is unknown, has no password, or the password is wrong (the same work is done in each
  case, so the time taken does not tell either).
- Failed logins are counted per name and per address in the database (every tab is a process
  of its own: a count kept in one would not slow the next tab). Past a few free failures each
  further attempt waits, twice as long each time up to a ceiling; a success clears the name's
  count. An attempt made while waiting is refused without looking at the password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from scoring.vocabulary import Role

from ..errors import HotseatError
from .calls import writing
from .people import Refused, Viewer, anyone, find_person, normalise, sign_in
from .records import InvalidName
from .seal import site_key
from .tables import LoginFailure, Password, Trainee, utcnow

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "REFUSED", "BadPassword", "LoginRefused", "Throttle",
           "change_own_password", "check_password", "has_any_password", "has_password",
           "hash_password", "log_in", "may_set_password", "password_seal", "set_password",
           "signed_on", "unsealed_passwords", "verify_hash", "wait_for"]

MIN_LENGTH = 8
MAX_LENGTH = 1024

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
"""scrypt's cost (16 MiB of memory, some tens of milliseconds a hash), as OWASP advises."""
SALT_BYTES, KEY_BYTES = 16, 32

REFUSED = "Wrong name or password."
"""The one answer to a failed login: it never says whether the name exists."""


class BadPassword(HotseatError):
    """A password that cannot be used (too short, too long, a control character): exit 2."""

    exit_code = 2


class LoginRefused(HotseatError):
    """A login that failed, or that must wait: the message is for the person at the screen."""

    exit_code = 2


@dataclass(frozen=True)
class Throttle:
    """How failed logins slow the next attempts: `free` failures cost nothing; after that each
    attempt waits `first` seconds, twice as long for each further failure, at most `ceiling`."""

    free: int
    first: float = 1.0
    ceiling: float = 300.0

    def wait(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return float(min(self.first * 2 ** (failures - self.free), self.ceiling))


PER_NAME = Throttle(free=5)
"""One person's name: five tries, then 1 s, 2 s, 4 s... up to five minutes."""
PER_ADDRESS = Throttle(free=20)
"""One address: a classroom behind one router shares it, so more tries before it slows."""


def check_password(password: str) -> str:
    """The password when it can be used; else BadPassword saying why (never the password)."""
    if len(password) < MIN_LENGTH:
        raise BadPassword(f"a password needs at least {MIN_LENGTH} characters "
                          f"(this one has {len(password)})")
    if len(password) > MAX_LENGTH:
        raise BadPassword(f"a password may have at most {MAX_LENGTH} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise BadPassword("a password may not hold control characters (a tab, a line break...)")
    return password


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r + 2**20, dklen=length)


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$key` with a fresh random salt: the only form a password is kept in."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_hash(stored: str, password: str) -> bool:
    """Does `password` match the stored hash? False for a hash that cannot be read."""
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        found = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p),
                        len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


_DUMMY = hash_password(secrets.token_hex(16))
"""Checked against when the name is unknown or has no password: the same work either way."""


def password_seal(row: Password) -> str:
    """The seal of a password row: its person, hash, who set it and when."""
    text = json.dumps({"kind": "password", "person_id": row.person_id, "hash": row.hash,
                       "set_by": row.set_by, "set_at": row.set_at.isoformat()},
                      sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hmac.new(site_key(), text.encode("ascii"), hashlib.sha256).hexdigest()


def may_set_password(engine: Engine, viewer: Viewer, name: str) -> Trainee:
    """The person `name`, when this viewer may set their password; Refused otherwise."""
    key = normalise(name)
    person = find_person(engine, key)
    if person is None or person.id is None:
        raise Refused(f"no person '{key}' here: add them first with `hotseat people add {key}`")
    allowed = viewer.name == person.name or viewer.role is Role.ADMIN or (
        viewer.role is Role.SUPERVISOR and viewer.may_manage(person, None))
    if not allowed:
        raise Refused(f"{viewer.name} is a {viewer.role}: they may set their own password"
                      + (" and their teams' trainees'" if viewer.role is Role.SUPERVISOR
                         else "") + f", not {key}'s")
    return person


def set_password(engine: Engine, viewer: Viewer, name: str, password: str, *,
                 now: datetime | None = None) -> Trainee:
    """Set `name`'s password (kept as a hash, sealed, with who set it and when)."""
    person = may_set_password(engine, viewer, name)
    assert person.id is not None
    setter = viewer if viewer.id is not None else sign_in(engine, viewer.name)
    if setter.id is None:
        raise Refused(f"{viewer.name} is not known here: only a person of this site sets "
                      "passwords")
    row = Password(person_id=person.id, hash=hash_password(check_password(password)),
                   set_by=setter.id,
                   set_at=(now or utcnow()).astimezone(UTC).replace(microsecond=0))
    row.seal = password_seal(row)
    with writing(engine) as session:
        old = session.get(Password, person.id)
        if old is not None:
            session.delete(old)
            session.flush()
        session.add(row)
    return person


def has_password(engine: Engine, name: str) -> bool:
    person = find_person(engine, name)
    if person is None or person.id is None:
        return False
    with Session(engine) as session:
        return session.get(Password, person.id) is not None


def has_any_password(engine: Engine) -> bool:
    """Has anyone a password (can anyone log in to a served Hotseat)?"""
    with Session(engine) as session:
        return session.exec(select(Password.person_id).limit(1)).first() is not None


def _keys(name: str, address: str | None) -> list[tuple[str, Throttle]]:
    keys = [(f"name:{name}", PER_NAME)]
    if address:
        keys.append((f"address:{address}", PER_ADDRESS))
    return keys


def wait_for(engine: Engine, name: str, address: str | None, now: datetime) -> float:
    """How many seconds the next attempt for this name from this address must still wait."""
    wait = 0.0
    with Session(engine) as session:
        for key, throttle in _keys(name, address):
            row = session.get(LoginFailure, key)
            if row is None:
                continue
            until = row.last + timedelta(seconds=throttle.wait(row.failures))
            wait = max(wait, (until - now).total_seconds())
    return wait


def _failed(engine: Engine, name: str, address: str | None, now: datetime) -> None:
    with writing(engine) as session:
        for key, _ in _keys(name, address):
            row = session.get(LoginFailure, key)
            if row is None:
                session.add(LoginFailure(key=key, failures=1, last=now))
            else:
                row.failures += 1
                row.last = now


def _succeeded(engine: Engine, name: str) -> None:
    with writing(engine) as session:
        row = session.get(LoginFailure, f"name:{name}")
        if row is not None:
            session.delete(row)


def log_in(engine: Engine, name: str, password: str, address: str | None = None, *,
           now: datetime | None = None) -> Viewer:
    """The person, when `password` is theirs; LoginRefused otherwise (REFUSED, or how long to
    wait after too many failures). Their role is the one they have in the terminal."""
    now = now or utcnow()
    try:
        key = normalise(name)
    except InvalidName:  # not a name anyone can have: refused like any other, counted
        key = "?"
    wait = wait_for(engine, key, address, now)
    if wait > 0:
        raise LoginRefused(f"Too many failed logins: wait {int(wait + 0.999)} s and try again.")
    person = find_person(engine, key) if key != "?" else None
    row = None
    if person is not None and person.id is not None:
        with Session(engine) as session:
            row = session.get(Password, person.id)
    matches = verify_hash(row.hash if row is not None else _DUMMY, password)
    sealed = row is not None and row.seal is not None and hmac.compare_digest(
        row.seal, password_seal(row))
    if person is None or row is None or not matches or not sealed:
        _failed(engine, key, address, now)
        raise LoginRefused(REFUSED)
    _succeeded(engine, key)
    return sign_in(engine, key)


def signed_on(engine: Engine, name: str) -> Viewer:
    """The person a sign-on proxy vouched for (`hotseat serve --user-header`), as a login would
    give them: their role in the database; a name it does not know, a newcomer with a
    trainee's rights (refused when the site refuses newcomers). Never the database's first
    admin: with nobody in it yet, refused (an admin is made in a terminal first). The name is
    the proxy's text, checked as any other name (LoginRefused when it is not one)."""
    try:
        key = normalise(name)
    except InvalidName as exc:
        raise LoginRefused(f"Your sign-on gave a name Hotseat cannot use: {exc}.") from None
    if not anyone(engine):
        raise LoginRefused("Nobody is in this Hotseat's records yet: its first admin starts "
                           "Hotseat in a terminal before anyone signs on.")
    try:
        return sign_in(engine, key)
    except Refused as exc:
        raise LoginRefused(str(exc)) from None


def change_own_password(engine: Engine, name: str, current: str, new: str,
                        address: str | None = None, *, now: datetime | None = None) -> None:
    """`name`'s own password changed by them, the current one given: a served tab has no
    operating-system login to vouch for the person at the keyboard. The new password is
    checked first (BadPassword); the current one then as a login checks it, with the same
    throttle (a wrong one counts as a failed login for the name and the address: LoginRefused,
    REFUSED or how long to wait); then the new one is set as set_password sets it, by them."""
    check_password(new)
    person = log_in(engine, name, current, address, now=now)
    set_password(engine, person, person.name, new, now=now)


def unsealed_passwords(engine: Engine) -> list[str]:
    """The people whose password row does not match its seal (written outside Hotseat)."""
    out = []
    with Session(engine) as session:
        for row, name in session.exec(select(Password, Trainee.name).join(
                Trainee, Trainee.id == Password.person_id)).all():  # type: ignore[arg-type]
            if row.seal is None or not hmac.compare_digest(row.seal, password_seal(row)):
                out.append(name)
    return sorted(out)
