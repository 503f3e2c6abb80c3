"""Passwords for a served Hotseat (simulator/db/passwords.py) and `hotseat people passwd`, on
SQLite and PostgreSQL: only salted scrypt hashes are kept, sealed; who may set whose; one plain
refusal for any failed login; failed logins slow the next ones per name and per address (a
frozen clock: `now` is given, nothing sleeps)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from dbhelpers import ADMIN, run_as, staff

from simulator import db
from simulator.db.passwords import (
    PER_ADDRESS,
    PER_NAME,
    REFUSED,
    BadPassword,
    LoginRefused,
    change_own_password,
    check_password,
    hash_password,
    log_in,
    set_password,
    signed_on,
    unsealed_passwords,
    verify_hash,
    wait_for,
)

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SECRET = "correct horse battery"


@pytest.fixture
def site(backend_url: str):
    """ada (admin), sue (supervisor of blue), ann and bob (trainees of blue), rex (red)."""
    staff(backend_url, sue=("supervisor", "blue"), ann=("trainee", "blue"),
          bob=("trainee", "blue"), rex=("trainee", "red"))
    engine = db.make_engine(backend_url)
    yield engine
    engine.dispose()


def viewer(engine, name: str) -> db.Viewer:
    return db.sign_in(engine, name)


def test_a_hash_is_salted_scrypt_and_never_the_password() -> None:
    one, two = hash_password(SECRET), hash_password(SECRET)
    assert one != two and SECRET not in one  # a fresh salt each time
    assert one.startswith("scrypt$16384$8$1$")
    assert verify_hash(one, SECRET) and verify_hash(two, SECRET)
    assert not verify_hash(one, SECRET + "!") and not verify_hash(one, "")
    for broken in ("", "scrypt$1$2", "md5$16384$8$1$AAAA$AAAA", one.replace("$8$", "$x$")):
        assert not verify_hash(broken, SECRET)


@pytest.mark.parametrize("bad, why", [("short", "at least 8"), ("x" * 1025, "at most 1024"),
                                       ("tab\there!", "control characters")])
def test_a_password_that_cannot_be_used_says_why(bad: str, why: str) -> None:
    with pytest.raises(BadPassword, match=why) as caught:
        check_password(bad)
    assert bad not in str(caught.value)


def test_the_row_holds_the_hash_who_set_it_when_and_a_seal(site) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    with site.connect() as conn:
        row = conn.execute(sa.text("SELECT p.hash, p.set_at, s.name, p.seal FROM passwords p "
                                   "JOIN trainees s ON s.id = p.set_by")).one()
    assert SECRET not in "".join(map(str, row)) and verify_hash(row[0], SECRET)
    assert str(row[1]).startswith("2026-12-02 09:00:00") and row[2] == ADMIN and len(row[3]) == 64
    assert unsealed_passwords(site) == []


@pytest.mark.parametrize("who, whose, allowed", [
    (ADMIN, "rex", True), (ADMIN, "sue", True),
    ("ann", "ann", True), ("ann", "bob", False), ("ann", ADMIN, False),
    ("sue", "ann", True), ("sue", "rex", False), ("sue", ADMIN, False),
])
def test_who_may_set_whose_password(site, who: str, whose: str, allowed: bool) -> None:
    if allowed:
        set_password(site, viewer(site, who), whose, SECRET, now=T0)
        assert log_in(site, whose, SECRET, now=T0).name == whose
    else:
        with pytest.raises(db.Refused, match=f"not {whose}'s"):
            set_password(site, viewer(site, who), whose, SECRET, now=T0)


def test_an_unknown_person_gets_no_password(site) -> None:
    with pytest.raises(db.Refused, match="no person 'zed' here"):
        set_password(site, viewer(site, ADMIN), "zed", SECRET)


def test_login_gives_the_person_with_their_role(site) -> None:
    admin = viewer(site, ADMIN)
    for name in ("ann", "sue"):
        set_password(site, admin, name, SECRET, now=T0)
    assert log_in(site, "  ANN ", SECRET, "10.0.0.1", now=T0) == viewer(site, "ann")
    sue = log_in(site, "sue", SECRET, "10.0.0.1", now=T0)
    assert sue.role == "supervisor" and sue.teams == frozenset({"blue"})


def test_every_failed_login_gets_the_same_answer(site) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    attempts = [("ann", "wrong password"),       # a wrong password
                ("nobody", SECRET),              # a name that does not exist
                ("bob", SECRET),                 # a person with no password
                ("bad\x1bname", SECRET),         # not a name anyone can have
                ("ann", "")]
    for name, password in attempts:
        with pytest.raises(LoginRefused) as caught:
            log_in(site, name, password, now=T0)
        assert str(caught.value) == REFUSED


def test_a_hash_written_outside_hotseat_is_refused(site) -> None:
    """Someone who can write the database but not read the key puts in a hash they know."""
    set_password(site, viewer(site, ADMIN), "ann", "something else entirely", now=T0)
    with site.begin() as conn:
        conn.execute(sa.text("UPDATE passwords SET hash = :h"), {"h": hash_password(SECRET)})
    with pytest.raises(LoginRefused, match=REFUSED):
        log_in(site, "ann", SECRET, now=T0)
    assert unsealed_passwords(site) == ["ann"]


def _stored(engine) -> tuple[str, str]:
    """ann's stored hash and the name of who set it."""
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT p.hash, s.name FROM passwords p JOIN trainees s ON s.id = p.set_by "
            "JOIN trainees t ON t.id = p.person_id WHERE t.name = 'ann'")).one()


def test_a_person_changes_their_own_password_knowing_the_current_one(site) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    change_own_password(site, "ann", SECRET, "a new long one", "10.0.0.1",
                        now=T0 + timedelta(minutes=1))
    hashed, setter = _stored(site)
    assert setter == "ann" and verify_hash(hashed, "a new long one")
    assert unsealed_passwords(site) == []
    with pytest.raises(LoginRefused, match=REFUSED):
        log_in(site, "ann", SECRET, now=T0 + timedelta(minutes=2))
    assert log_in(site, "ann", "a new long one", now=T0 + timedelta(minutes=2)).name == "ann"


@pytest.mark.parametrize("current, new, error", [
    ("guess", "a new long one", LoginRefused),  # the wrong current password
    (SECRET, "short", BadPassword),  # a new one that cannot be used, the current one right
    ("guess", "short", BadPassword),  # the new one is looked at first: nothing counted
])
def test_a_refused_change_changes_nothing(site, current: str, new: str, error: type) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    before = _stored(site)
    with pytest.raises(error):
        change_own_password(site, "ann", current, new, "10.0.0.1", now=T0)
    assert _stored(site) == before
    # a wrong current password counts as a failed login, for the name and the address
    counted = 1 if error is LoginRefused else 0
    with site.connect() as conn:
        failures = dict(conn.execute(sa.text("SELECT key, failures FROM login_failures")).all())
    assert failures == ({"name:ann": 1, "address:10.0.0.1": 1} if counted else {})


def test_changing_a_password_is_throttled_as_a_login_is(site) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    for _ in range(PER_NAME.free):
        with pytest.raises(LoginRefused, match=REFUSED):
            change_own_password(site, "ann", "guess", "a new long one", now=T0)
    with pytest.raises(LoginRefused, match="Too many failed logins"):
        change_own_password(site, "ann", SECRET, "a new long one", now=T0)  # even the right one
    assert verify_hash(_stored(site)[0], SECRET)


def test_failed_logins_slow_the_next_attempts_for_that_name(site) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    now = T0
    for _ in range(PER_NAME.free):  # the free failures, from addresses all different
        with pytest.raises(LoginRefused, match=REFUSED):
            log_in(site, "ann", "guess", f"10.0.0.{_}", now=now)
    assert wait_for(site, "ann", None, now) == PER_NAME.first
    # while it waits, even the right password is refused, without a word about it
    with pytest.raises(LoginRefused, match=r"Too many failed logins: wait 1 s"):
        log_in(site, "ann", SECRET, "10.9.9.9", now=now)
    now += timedelta(seconds=PER_NAME.first)
    with pytest.raises(LoginRefused, match=REFUSED):  # another failure: twice as long
        log_in(site, "ann", "guess", now=now)
    assert wait_for(site, "ann", None, now) == 2 * PER_NAME.first
    # another name is not slowed
    set_password(site, viewer(site, ADMIN), "bob", SECRET, now=T0)
    assert log_in(site, "bob", SECRET, now=now).name == "bob"
    now += timedelta(seconds=2 * PER_NAME.first)
    assert log_in(site, "ann", SECRET, now=now).name == "ann"
    assert wait_for(site, "ann", None, now) == 0  # a success clears the name's count


def test_failed_logins_slow_the_next_attempts_from_that_address(site) -> None:
    set_password(site, viewer(site, ADMIN), "ann", SECRET, now=T0)
    for i in range(PER_ADDRESS.free):  # a different name each time: no name is slowed
        with pytest.raises(LoginRefused, match=REFUSED):
            log_in(site, f"guess{i}", "guess", "192.0.2.7", now=T0)
    with pytest.raises(LoginRefused, match="Too many failed logins"):
        log_in(site, "ann", SECRET, "192.0.2.7", now=T0)
    assert log_in(site, "ann", SECRET, "192.0.2.8", now=T0).name == "ann"
    later = T0 + timedelta(seconds=PER_ADDRESS.first)
    assert log_in(site, "ann", SECRET, "192.0.2.7", now=later).name == "ann"


def test_the_wait_has_a_ceiling() -> None:
    assert PER_NAME.wait(PER_NAME.free - 1) == 0
    assert PER_NAME.wait(1000) == PER_NAME.ceiling == 300


# -- hotseat people passwd ------------------------------------------------------------------------

def passwd(capsys, monkeypatch, who: str, url: str, name: str, stdin: str | None,
           *extra: str) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run_as(capsys, monkeypatch, who, "--db", url, "people", "passwd", name, *extra)


def test_passwd_from_standard_input(capsys, monkeypatch, site, backend_url) -> None:
    code, out, err = passwd(capsys, monkeypatch, ADMIN, backend_url, "ann", SECRET + "\n",
                            "--stdin")
    assert (code, out, err) == (0, "ann: password set\n", "")
    assert log_in(site, "ann", SECRET).name == "ann"
    code, _, err = passwd(capsys, monkeypatch, "ann", backend_url, "bob", SECRET + "\n",
                          "--stdin")
    assert code == 2 and "ann is a trainee: they may set their own password, not bob's" in err
    code, _, err = passwd(capsys, monkeypatch, "ann", backend_url, "ann", "short\n", "--stdin")
    assert code == 2 and "at least 8 characters" in err and "short" not in err.split("(")[0]
    code, _, err = passwd(capsys, monkeypatch, ADMIN, backend_url, "ann", "", "--stdin")
    assert code == 2 and "standard input is empty" in err


def test_passwd_asks_twice_at_a_terminal(capsys, monkeypatch, site, backend_url) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True
    typed = iter([SECRET, SECRET + "x", "another secret", "another secret"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    monkeypatch.setattr("sys.stdin", Tty())
    code, _, err = passwd(capsys, monkeypatch, "ann", backend_url, "ann", None)
    assert code == 2 and "the two passwords differ: nothing was changed" in err
    assert not db.passwords.has_password(site, "ann")
    code, out, _ = passwd(capsys, monkeypatch, "ann", backend_url, "ann", None)
    assert code == 0 and log_in(site, "ann", "another secret").name == "ann"


def test_passwd_without_a_terminal_needs_stdin(capsys, monkeypatch, site, backend_url) -> None:
    code, _, err = passwd(capsys, monkeypatch, ADMIN, backend_url, "ann", SECRET + "\n")
    assert code == 2 and "no terminal to ask the password at" in err and "--stdin" in err


def test_a_password_is_never_an_argument(capsys, monkeypatch, site, backend_url) -> None:
    code, _, err = passwd(capsys, monkeypatch, ADMIN, backend_url, "ann", None, SECRET)
    assert code == 2 and "unrecognized arguments" in err


def test_a_sign_on_gives_the_person_with_their_role_and_no_password(site) -> None:
    """A sign-on proxy's name: the person as a login gives them, without any password."""
    assert signed_on(site, " Sue ") == viewer(site, "sue")
    assert signed_on(site, "sue").teams == frozenset({"blue"})
    newcomer = signed_on(site, "newrep")
    assert (newcomer.name, newcomer.role, newcomer.id) == ("newrep", "trainee", None)


def test_a_sign_on_is_refused_where_a_login_would_be(site) -> None:
    db.set_setting(site, viewer(site, ADMIN), "newcomers", "refuse")
    with pytest.raises(LoginRefused, match="does not let newcomers start on their own"):
        signed_on(site, "newrep")
    for bad in ("", "a\x00b", "x" * 65, "\u202eevil"):
        with pytest.raises(LoginRefused, match="Your sign-on gave a name Hotseat cannot use"):
            signed_on(site, bad)
    assert signed_on(site, "ann").name == "ann"  # known people still come in


def test_a_sign_on_never_makes_the_first_admin(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    try:
        with pytest.raises(LoginRefused, match="Nobody is in this Hotseat's records yet"):
            signed_on(engine, "mallory")
        assert db.list_people(engine, db.SYSTEM) == []  # and nobody was made
    finally:
        engine.dispose()
