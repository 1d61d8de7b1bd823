"""The request budget: limits, pacing, and a ledger shared by threads and processes.

One module on purpose: its parts test one contract (never more attempts than the
budget) from the budget string through the ledger to concurrent processes. Every
ledger test runs on both backends: an SQLite file and a PostgreSQL database.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import sqlite3
import threading
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psycopg
import pytest

from narrator.budget import (
    PRESETS,
    BudgetLimits,
    FakeClock,
    RequestLedger,
    SQLiteLedger,
    day_window,
    open_ledger,
    parse_budget,
)
from narrator.budget.postgres import SCHEMA, redact
from narrator.errors import BudgetExhausted, ConfigError
from tests.fixtures_postgres import PostgresCluster

ACCOUNT = "api.oxlo.ai"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty ledger lives: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "state" / "ledger.sqlite")
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database(f"ledger_{uuid.uuid4().hex}")


def ledger_at(
    location: str, clock: FakeClock, account: str = ACCOUNT, **limits: int
) -> RequestLedger:
    return open_ledger(location, BudgetLimits(**limits), account=account, clock=clock)


def stored(location: str) -> list[tuple[str, str, str, float, int | None, int | None]]:
    """Every reservation row in ``location``, oldest first (``ok`` as 1/0 on both backends)."""
    columns = "account, kind, label, at, status, ok"
    if location.startswith("postgresql://"):
        with psycopg.connect(location) as pg:
            rows = pg.execute(f"SELECT {columns} FROM {SCHEMA}.requests ORDER BY id").fetchall()
    else:
        db = sqlite3.connect(location)
        try:
            rows = db.execute(f"SELECT {columns} FROM requests ORDER BY id").fetchall()
        finally:
            db.close()
    return [(*row[:5], None if row[5] is None else int(row[5])) for row in rows]


# --- limits -------------------------------------------------------------------------------


def test_presets_match_the_oxlo_plans() -> None:
    assert {name: p.per_day for name, p in PRESETS.items()} == {
        "free": 60,
        "pro": 1000,
        "premium": 5000,
        "unlimited": None,
    }
    assert all(p.per_minute is None and p.reset_hour_utc == 0 for p in PRESETS.values())


@pytest.mark.parametrize(
    ("spec", "per_day", "per_minute"),
    [
        ("free", 60, None),
        ("PRO", 1000, None),
        ("premium", 5000, None),
        ("unlimited", None, None),
        ("250/day", 250, None),
        ("250/day,20/min", 250, 20),
        (" 250 / day , 20/MIN ", 250, 20),
        ("20/min", None, 20),
        ("20/min,250/day", 250, 20),
        ("pro,30/min", 1000, 30),
        ("unlimited,30/min", None, 30),
    ],
)
def test_parse_budget_accepts_the_documented_forms(
    spec: str, per_day: int | None, per_minute: int | None
) -> None:
    assert parse_budget(spec) == BudgetLimits(per_day=per_day, per_minute=per_minute)


@pytest.mark.parametrize(
    "spec",
    ["", "gold", "60", "60/hour", "0/day", "0/min", "-5/day", "1.5/day", "pro,free",
     "pro,50/day", "5/min,6/min", "pro,", "60/day;5/min"],
)  # fmt: skip
def test_parse_budget_rejects_bad_specs_naming_them(spec: str) -> None:
    with pytest.raises(ConfigError) as excinfo:
        parse_budget(spec)
    assert repr(spec) in excinfo.value.message
    assert excinfo.value.hint is not None and "pro,30/min" in excinfo.value.hint


@pytest.mark.parametrize(
    ("now", "reset_hour", "start"),
    [
        (datetime(2026, 11, 28, 0, 0, tzinfo=UTC), 0, datetime(2026, 11, 28, tzinfo=UTC)),
        (datetime(2026, 11, 27, 23, 59, 59, 999999, tzinfo=UTC), 0,
         datetime(2026, 11, 27, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), 0, datetime(2026, 12, 31, tzinfo=UTC)),
        (datetime(2026, 11, 28, 6, 59, tzinfo=UTC), 7, datetime(2026, 11, 27, 7, tzinfo=UTC)),
        (datetime(2026, 11, 28, 7, 0, tzinfo=UTC), 7, datetime(2026, 11, 28, 7, tzinfo=UTC)),
        (datetime(2027, 1, 1, 3, 0, tzinfo=UTC), 23, datetime(2026, 12, 31, 23, tzinfo=UTC)),
        # 01:30 at UTC+2 is 23:30 UTC the day before
        (datetime(2026, 11, 28, 1, 30, tzinfo=timezone(timedelta(hours=2))), 0,
         datetime(2026, 11, 27, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_day_window_around_the_reset(now: datetime, reset_hour: int, start: datetime) -> None:
    got_start, got_end = day_window(now, reset_hour)
    assert (got_start, got_end) == (start, start + timedelta(days=1))
    assert got_start.tzinfo == UTC
    assert got_start <= now < got_end


def test_day_window_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="naive"):
        day_window(datetime(2026, 11, 28), 0)


# --- clock --------------------------------------------------------------------------------


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(datetime(2026, 11, 28, 11, 0, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == T0 and clock.now().tzinfo == UTC
    clock.sleep(1.5)
    clock.advance(60)
    assert clock.now() == T0 + timedelta(seconds=61.5)
    clock.set(T0)
    assert clock.now() == T0
    with pytest.raises(ValueError):
        clock.advance(-1)


# --- ledger: the daily budget -------------------------------------------------------------


def test_reserves_up_to_the_daily_limit_then_refuses_until_the_reset(location: str) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock, per_day=3)
    for i in range(3):
        reservation = ledger.reserve("speech", f"c01-000{i}")
        assert (reservation.account, reservation.kind, reservation.at) == (ACCOUNT, "speech", T0)
    with pytest.raises(BudgetExhausted) as excinfo:
        ledger.reserve("speech", "c01-0003")
    error = excinfo.value
    assert (error.used, error.limit, error.exit_code) == (3, 3, 3)
    assert error.resets_at == datetime(2026, 11, 29, tzinfo=UTC)
    assert str(error).startswith(
        "request budget for api.oxlo.ai is spent: 3 of 3 requests used today; "
        "it resets at 2026-11-29 00:00 UTC"
    )
    assert error.hint is not None and "--budget" in error.hint
    assert len(stored(location)) == 3  # the refused request was not counted

    clock.set(datetime(2026, 11, 28, 23, 59, 59, tzinfo=UTC))
    with pytest.raises(BudgetExhausted):
        ledger.reserve("speech")
    clock.set(datetime(2026, 11, 29, tzinfo=UTC))
    assert ledger.reserve("speech").at == datetime(2026, 11, 29, tzinfo=UTC)


def test_the_budget_day_starts_at_the_reset_hour(location: str) -> None:
    clock = FakeClock(datetime(2026, 11, 28, 6, 30, tzinfo=UTC))
    ledger = ledger_at(location, clock, per_day=1, reset_hour_utc=7)
    ledger.reserve("speech")
    with pytest.raises(BudgetExhausted) as excinfo:
        ledger.reserve("speech")
    assert excinfo.value.resets_at == datetime(2026, 11, 28, 7, tzinfo=UTC)
    clock.advance(30 * 60)
    ledger.reserve("speech")


def test_unrecorded_reservations_count(location: str) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock, per_day=2)
    ledger.record(ledger.reserve("speech"), status=200, ok=True)
    ledger.reserve("speech")  # sent, then the process died before recording it
    reopened = ledger_at(location, clock, per_day=2)
    assert reopened.usage().used == 2
    with pytest.raises(BudgetExhausted):
        reopened.reserve("speech")


def test_record_stores_the_outcome(location: str, caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock)
    ok = ledger.reserve("speech", "c01-0000")
    timed_out = ledger.reserve("transcription", "c01-0000")
    ledger.record(ok, status=200, ok=True)
    ledger.record(timed_out, status=None, ok=False)
    pending = ledger.reserve("speech", "c01-0001")
    t = T0.timestamp()
    assert stored(location) == [
        (ACCOUNT, "speech", "c01-0000", t, 200, 1),
        (ACCOUNT, "transcription", "c01-0000", t, None, 0),
        (ACCOUNT, "speech", "c01-0001", t, None, None),
    ]
    foreign = pending.model_copy(update={"account": "other"})
    with caplog.at_level(logging.WARNING):
        ledger.record(foreign, status=200, ok=True)  # never updates another account's row
    assert "no reservation" in caplog.text
    assert stored(location)[2][4:] == (None, None)


def test_two_accounts_in_one_ledger_have_separate_budgets(location: str) -> None:
    clock = FakeClock(T0)
    oxlo = ledger_at(location, clock, per_day=2)
    other = ledger_at(location, clock, "api.example.com", per_day=1)
    oxlo.reserve("speech")
    oxlo.reserve("speech")
    with pytest.raises(BudgetExhausted):
        oxlo.reserve("speech")
    other.reserve("speech")
    with pytest.raises(BudgetExhausted) as excinfo:
        other.reserve("speech")
    assert "api.example.com" in str(excinfo.value)
    assert (oxlo.usage().used, other.usage().used) == (2, 1)


def test_usage(location: str) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock, per_day=60, per_minute=10)
    for _ in range(4):
        ledger.reserve("speech")
    usage = ledger.usage()
    assert (usage.account, usage.used, usage.limit, usage.remaining, usage.per_minute) == (
        ACCOUNT, 4, 60, 56, 10,
    )  # fmt: skip
    assert usage.resets_at == datetime(2026, 11, 29, tzinfo=UTC)

    clock.advance(timedelta(days=1).total_seconds())
    assert ledger.usage().used == 0
    unlimited = ledger_at(location, clock)
    unlimited.reserve("speech")
    assert (unlimited.usage().limit, unlimited.usage().remaining) == (None, None)
    assert unlimited.usage().used == 1


def test_history_counts_per_budget_day_newest_first(location: str) -> None:
    clock = FakeClock(datetime(2026, 11, 25, 6, 59, tzinfo=UTC))  # budget day of 24 Nov
    ledger = ledger_at(location, clock, reset_hour_utc=7)
    ledger.reserve("speech")
    clock.advance(60)  # 07:00: the budget day of 25 Nov
    for _ in range(3):
        ledger.reserve("speech")
    clock.set(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))
    for _ in range(2):
        ledger.reserve("transcription")
    clock.set(datetime(2026, 11, 28, 8, 0, tzinfo=UTC))
    ledger.reserve("speech")
    ledger_at(location, clock, "api.example.com").reserve("speech")  # another account

    assert ledger.history(5) == [
        (date(2026, 11, 28), 1),
        (date(2026, 11, 27), 2),
        (date(2026, 11, 26), 0),
        (date(2026, 11, 25), 3),
        (date(2026, 11, 24), 1),
    ]
    assert [day for day, _ in ledger.history()] == [
        date(2026, 11, 28) - timedelta(days=i) for i in range(7)
    ]
    assert ledger.history(1) == [(date(2026, 11, 28), 1)]


# --- ledger: the per-minute rate ----------------------------------------------------------


def test_per_minute_limit_paces_and_never_fails(location: str) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock, per_minute=5)
    times = [ledger.reserve("speech").at for _ in range(12)]
    waited = (clock.now() - T0).total_seconds()
    assert 120 <= waited < 121  # waits for free slots, and no longer
    for t in times:  # no rolling minute ever holds more than 5 requests
        assert sum(t <= u < t + timedelta(seconds=60) for u in times) <= 5


def test_paced_threads_share_the_minute(location: str) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock, per_minute=3)
    times: list[datetime] = []
    lock = threading.Lock()

    def work() -> None:
        at = ledger.reserve("speech").at
        with lock:
            times.append(at)

    threads = [threading.Thread(target=work) for _ in range(7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(times) == 7
    for t in times:
        assert sum(t <= u < t + timedelta(seconds=60) for u in times) <= 3
    assert clock.now() - T0 >= timedelta(seconds=120)


def test_the_daily_limit_fails_at_once_even_while_pacing(location: str) -> None:
    clock = FakeClock(T0)
    ledger = ledger_at(location, clock, per_day=2, per_minute=1)
    ledger.reserve("speech")
    ledger.reserve("speech")
    assert clock.now() - T0 < timedelta(seconds=61)
    moment = clock.now()
    with pytest.raises(BudgetExhausted):
        ledger.reserve("speech")
    assert clock.now() == moment  # did not sleep first


# --- ledger: concurrency ------------------------------------------------------------------

DAILY = 25


def test_threads_never_exceed_the_daily_limit(location: str) -> None:
    open_ledger(location, BudgetLimits(per_day=DAILY), account=ACCOUNT)
    calls_each, threads_n = 6, 8  # 48 calls for 25 requests
    start = threading.Barrier(threads_n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        # Each thread opens its own ledger on the shared store, as tasks do.
        ledger = open_ledger(location, BudgetLimits(per_day=DAILY), account=ACCOUNT)
        start.wait()
        for _ in range(calls_each):
            try:
                ledger.reserve("speech")
                outcome = "ok"
            except BudgetExhausted:
                outcome = "exhausted"
            except Exception as exc:  # any other error fails the test below
                outcome = repr(exc)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == DAILY
    assert outcomes.count("exhausted") == threads_n * calls_each - DAILY
    assert len(stored(location)) == DAILY


def _reserve_in_process(location: str, calls: int, start: Any, results: Any) -> None:
    """Runs in a spawned process: ``start`` is a shared barrier, ``results`` a queue."""
    ledger = open_ledger(location, BudgetLimits(per_day=DAILY), account=ACCOUNT)
    start.wait(timeout=60)  # a sibling that died must not leave us waiting forever
    ok = exhausted = 0
    for _ in range(calls):
        try:
            ledger.reserve("speech")
            ok += 1
        except BudgetExhausted:
            exhausted += 1
    results.put((ok, exhausted))


def test_eight_processes_never_exceed_the_daily_limit(location: str) -> None:
    # The store is created by the processes themselves, all at once.
    context = multiprocessing.get_context("spawn")
    calls_each, processes_n = 8, 8  # 64 calls for 25 requests
    start, results = context.Barrier(processes_n), context.Queue()
    processes = [
        context.Process(
            target=_reserve_in_process, args=(location, calls_each, start, results), daemon=True
        )
        for _ in range(processes_n)
    ]
    for process in processes:
        process.start()
    try:
        counts = [results.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
    assert sum(ok for ok, _ in counts) == DAILY
    assert sum(exhausted for _, exhausted in counts) == processes_n * calls_each - DAILY
    assert len(stored(location)) == DAILY


def test_learned_input_limits_only_go_down_and_are_per_model(location: str) -> None:
    ledger = open_ledger(location, BudgetLimits(), account="api.example")
    assert ledger.input_limit("kokoro-82m") is None
    assert ledger.learn_input_limit("kokoro-82m", 900) == 900
    assert ledger.learn_input_limit("kokoro-82m", 1200) == 900  # never raised again
    assert ledger.learn_input_limit("kokoro-82m", 600) == 600
    other = open_ledger(location, BudgetLimits(), account="api.example")
    assert other.input_limit("kokoro-82m") == 600  # persistent, shared
    assert other.input_limit("tts-1") is None
    assert open_ledger(location, BudgetLimits(), account="b").input_limit("kokoro-82m") is None


# --- ledger: the SQLite file --------------------------------------------------------------


def test_creates_folders_and_a_versioned_wal_schema(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ledger.sqlite"
    SQLiteLedger(path, BudgetLimits(), account=ACCOUNT)
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = [row[1] for row in db.execute("PRAGMA table_info(requests)")]
        indexes = [row[1] for row in db.execute("PRAGMA index_list(requests)")]
    finally:
        db.close()
    assert columns == ["id", "account", "kind", "label", "at", "status", "ok", "recorded_at"]
    assert indexes == ["requests_account_at"]
    SQLiteLedger(path, BudgetLimits(), account=ACCOUNT)  # reopening keeps it as it is


def test_a_newer_schema_or_a_foreign_file_is_a_config_error(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 2")
    db.close()
    with pytest.raises(ConfigError, match="schema version 2"):
        SQLiteLedger(newer, BudgetLimits(), account=ACCOUNT)

    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database " * 100)
    with pytest.raises(ConfigError, match="notes.txt"):
        SQLiteLedger(foreign, BudgetLimits(), account=ACCOUNT)


def test_a_path_setting_opens_an_sqlite_file_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    ledger = open_ledger("~/state/requests.sqlite", BudgetLimits(), account=ACCOUNT)
    assert isinstance(ledger, SQLiteLedger)
    assert ledger.path == tmp_path / "state" / "requests.sqlite" and ledger.path.is_file()


# --- ledger: the PostgreSQL database ------------------------------------------------------


def test_postgres_keeps_its_tables_in_their_own_versioned_schema(postgres: PostgresCluster) -> None:
    url = postgres.create_database("shared_with_prefect")
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("CREATE TABLE requests (id TEXT)")  # another application's table
    open_ledger(url, BudgetLimits(), account=ACCOUNT).reserve("speech")
    with psycopg.connect(url, autocommit=True) as pg:
        tables = pg.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('public', %s) ORDER BY 1, 2",
            (SCHEMA,),
        ).fetchall()
        version = pg.execute(f"SELECT version FROM {SCHEMA}.schema_version").fetchall()
        pg.execute(f"UPDATE {SCHEMA}.schema_version SET version = 2")
    assert tables == [
        (SCHEMA, "accounts"), (SCHEMA, "input_limits"), (SCHEMA, "requests"),
        (SCHEMA, "schema_version"), ("public", "requests"),
    ]  # fmt: skip
    assert version == [(1,)]
    assert len(stored(url)) == 1
    with pytest.raises(ConfigError, match="schema version 2"):
        open_ledger(url, BudgetLimits(), account=ACCOUNT)


def test_postgres_errors_and_names_never_show_the_password(postgres: PostgresCluster) -> None:
    url = postgres.create_database("secret")
    ledger = open_ledger(url, BudgetLimits(), account=ACCOUNT)
    assert ledger.where == f"postgresql://narrator:***@127.0.0.1:{postgres.port}/secret"
    wrong = url.replace(postgres.password, "wrong-" + postgres.password)
    with pytest.raises(ConfigError) as refused:
        open_ledger(wrong, BudgetLimits(), account=ACCOUNT)
    assert "password authentication failed" in str(refused.value)
    assert postgres.password not in str(refused.value)
    assert refused.value.hint is not None and "NARRATOR_LEDGER" in refused.value.hint


def test_postgres_a_reservation_waits_for_another_hosts_and_counts_it(
    postgres: PostgresCluster,
) -> None:
    url = postgres.create_database("locks")
    ledger = open_ledger(url, BudgetLimits(per_day=1), account=ACCOUNT)
    outcome: list[str] = []

    def reserve() -> None:
        try:
            ledger.reserve("speech", "this host")
            outcome.append("reserved")
        except BudgetExhausted:
            outcome.append("exhausted")

    # Another host's reservation, made the same way by hand and not yet committed.
    with psycopg.connect(url) as other, psycopg.connect(url, autocommit=True) as watcher:
        other.execute(
            f"SELECT account FROM {SCHEMA}.accounts WHERE account = %s FOR UPDATE", (ACCOUNT,)
        )
        other.execute(
            f"INSERT INTO {SCHEMA}.requests (account, kind, label, at) "
            "VALUES (%s, 'speech', 'other host', %s)",
            (ACCOUNT, datetime.now(UTC).timestamp()),
        )
        thread = threading.Thread(target=reserve)
        thread.start()
        waiting = 0
        for _ in range(600):  # until our reservation's session waits for the row lock
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = 'locks' AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting or not thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert waiting == 1 and outcome == []
        other.commit()
    thread.join()
    assert outcome == ["exhausted"]  # it counted the reservation committed before it
    assert [row[2] for row in stored(url)] == ["other host"]


def test_redact_hides_the_password_in_the_user_part_and_the_query() -> None:
    assert redact("postgresql://ann:s3cret@db.example:5432/ledger") == (
        "postgresql://ann:***@db.example:5432/ledger"
    )
    assert redact("postgresql://ann@db/ledger?password=s3cret&sslmode=require") == (
        "postgresql://ann@db/ledger?password=***&sslmode=require"
    )
    assert redact("postgresql:///ledger") == "postgresql:///ledger"


def test_budget_exhausted_survives_pickling() -> None:
    error = BudgetExhausted(
        "spent", used=60, limit=60, resets_at=datetime(2026, 11, 29, tzinfo=UTC), hint="wait"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.used, copy.limit, copy.resets_at, copy.hint) == (
        "spent", 60, 60, datetime(2026, 11, 29, tzinfo=UTC), "wait",
    )  # fmt: skip
    assert str(copy) == str(error)
