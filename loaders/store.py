"""The DuckDB store behind one gateway.

Every read and write of the dashboard's data goes through this module, so the rules that keep the
data safe live in one place:

- Readers share one read-only connection per file version and take a fresh cursor per call (a
  cursor is never shared across threads or Streamlit sessions; opening the file costs 40-150 ms,
  a cursor under 1 ms). When the file on disk has been swapped for a newer one, the next query opens
  the new file and the old connection is closed once no query uses it; a query never sees a
  half-written state.
- Writers never touch the live file. A write session copies it to a temporary file beside it, does
  all its work there, checkpoints, and `os.replace`s the copy over the live file. A failure, a
  crash or `kill -9` part way leaves the live file exactly as it was; an orphaned temporary file is
  removed by the next writer. A lock file serialises concurrent writers. (The private copy is
  what makes a session all or nothing, so statements in it commit as they go: a national-size
  load then streams to disk instead of holding one huge transaction in memory.)
- DuckDB's memory is capped (default 3 GB, or $CSC_MEMORY_LIMIT); above it DuckDB spills to disk.
- Values are always passed as parameters; table and column names never come from users.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import duckdb
import pandas as pd

from loaders.problems import safe_name

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "dashboard.duckdb"
SCHEMA_SQL = Path(__file__).resolve().parent / "sql" / "schema.sql"
SCHEMA_VERSION = "1"

Params = Sequence[Any] | dict[str, Any] | None


class StoreMissing(FileNotFoundError):
    """The database file does not exist yet (nothing has been loaded)."""


def default_db_path() -> Path:
    """The database file: $CSC_DB if set, else data/dashboard.duckdb in the project."""
    env = os.environ.get("CSC_DB")
    return Path(env) if env else DEFAULT_DB


def memory_limit() -> str:
    """DuckDB's memory cap for write sessions: $CSC_MEMORY_LIMIT (e.g. '8GB') or 3GB."""
    return os.environ.get("CSC_MEMORY_LIMIT", "3GB")


def _file_identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class _Held:
    """A read-only connection to one version of a store file and how many queries use it now."""

    def __init__(self, identity: tuple[int, int, int], con: duckdb.DuckDBPyConnection) -> None:
        self.identity = identity
        self.con = con
        self.users = 0
        self.retired = False


_HELD: dict[str, _Held] = {}
_RETIRED: list[tuple[str, _Held]] = []
_HELD_LOCK = threading.Lock()
_MAX_HELD = 4  # store files kept open at once (the dashboard reads one; tests make many)


def _retire(key: str, held: _Held) -> None:
    """Stop handing out `held`; close it now if no query uses it, else when the last one ends."""
    held.retired = True
    if held.users == 0:
        held.con.close()
    else:
        _RETIRED.append((key, held))


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the store file attached read-only as `store`.

    Not `duckdb.connect(path)`: DuckDB hands a second connection to a path still open in this
    process the first one's instance, which after a swap is the replaced file. Attached to its own
    instance, each version is opened afresh.
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as store (read_only)")
    except BaseException:
        con.close()
        raise
    return con


@contextlib.contextmanager
def _shared_cursor(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the shared read-only connection to the file now at `path`; the connection to
    a replaced version is closed when the last query on it ends."""
    key = str(path)
    identity = _file_identity(path)
    with _HELD_LOCK:
        held = _HELD.get(key)
        if held is not None and held.identity != identity:
            _retire(key, _HELD.pop(key))
            held = None
        if held is None:
            idle = [k for k, h in _HELD.items() if h.users == 0]
            for old_key in idle[: max(0, len(_HELD) - _MAX_HELD + 1)]:
                _retire(old_key, _HELD.pop(old_key))
            held = _Held(identity or (0, 0, 0), _open_read_only(path))
            _HELD[key] = held
        held.users += 1
    try:
        cursor = held.con.cursor()
        try:
            cursor.execute("use store")
            yield cursor
        finally:
            cursor.close()
    finally:
        with _HELD_LOCK:
            held.users -= 1
            if held.retired and held.users == 0:
                held.con.close()
                _RETIRED[:] = [(k, h) for k, h in _RETIRED if h is not held]


class Reader:
    """Read-only access to the store, safe to share between threads and sessions.

    Each query takes its own cursor on a connection shared per file version (`_shared_cursor`), so
    a query started after a writer swapped the file in sees the new file, one started before sees
    the old one, and no cursor is ever shared between threads.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()

    @property
    def version(self) -> tuple[int, int, int] | None:
        """Changes whenever a load replaces the file; use it as a cache key."""
        return _file_identity(self.path)

    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run one read query with parameters and return its result as a DataFrame."""
        if not self.path.exists():
            raise StoreMissing(f"No data loaded yet: {self.path} does not exist.")
        with _shared_cursor(self.path) as con:
            return con.execute(sql, params).df()

    def has_table(self, name: str) -> bool:
        found = self.query(
            "select count(*) as n from information_schema.tables where table_name = ?", [name]
        )
        return bool(found["n"].iloc[0])


@dataclass
class Writer:
    """A write session on a private copy of the store; see `write_session`."""

    con: duckdb.DuckDBPyConnection
    path: Path

    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        return self.con.execute(sql, params).df()

    def execute(self, sql: str, params: Params = None) -> None:
        result = self.con.execute(sql, params)
        if result.description:
            result.fetchall()

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Append a DataFrame to `table` by column name; returns rows written.

        `table` is a name chosen by code, never by a user. Columns of the table missing from the
        frame are filled with their default (NULL unless the schema says otherwise).
        """
        if frame.empty:
            return 0
        self.con.register("_incoming", frame)
        try:
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            self.con.execute(f"insert into {table} ({columns}) select {columns} from _incoming")
        finally:
            self.con.unregister("_incoming")
        return len(frame)

    def replace_table(self, table: str, frame: pd.DataFrame) -> int:
        """Create or replace `table` with exactly the rows and columns of `frame`."""
        self.con.register("_incoming", frame)
        try:
            self.con.execute(f"create or replace table {table} as select * from _incoming")
        finally:
            self.con.unregister("_incoming")
        return len(frame)

    def has_table(self, name: str) -> bool:
        row = self.con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchall()
        return bool(row[0][0])


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the core tables and views if they are not there yet."""
    con.execute(SCHEMA_SQL.read_text())
    con.execute(
        "insert or replace into settings values ('schema_version', ?)", [SCHEMA_VERSION]
    )


@contextlib.contextmanager
def write_session(
    path: Path | str | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[Writer]:
    """All-or-nothing write access to the store.

    Yields a Writer on a temporary copy of the database. If the block finishes, the copy is
    checkpointed and atomically swapped in; if it raises (or the process dies), the copy is
    discarded and the live database is untouched. When another writer holds the lock, `on_wait`
    (default: a line on stderr) is told who it is (pid, start time, command) before waiting.
    """
    live = Path(path) if path is not None else default_db_path()
    live.parent.mkdir(parents=True, exist_ok=True)
    lock_path = live.with_name(live.name + ".lock")
    with open(lock_path, "a+") as lock_file:
        _take_lock(lock_file, on_wait or _say_waiting)
        temp = live.with_name(f".{live.name}.{os.getpid()}.loading")
        _remove_leftovers(live)
        if live.exists():
            shutil.copyfile(live, temp)
        con = duckdb.connect(str(temp), config={"memory_limit": memory_limit()})
        try:
            ensure_schema(con)
            yield Writer(con=con, path=live)
            con.execute("checkpoint")
            con.close()
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, live)
            _fsync_dir(live.parent)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            _remove(temp)
            raise


def _take_lock(lock_file: IO[str], on_wait: Callable[[str], None]) -> None:
    """Take the writers' lock, saying whom we wait for; then write who holds it now."""
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.seek(0)
        holder = safe_name(lock_file.read(2000).strip()) or "another load (no details recorded)"
        on_wait(f"waiting for another load to finish: {holder}")
        fcntl.flock(lock_file, fcntl.LOCK_EX)
    lock_file.seek(0)
    lock_file.truncate()
    command = " ".join(Path(sys.argv[0]).name if i == 0 else arg for i, arg in enumerate(sys.argv))
    lock_file.write(f"pid {os.getpid()}, started {datetime.now():%Y-%m-%d %H:%M:%S}, running {command[:500]}")
    lock_file.flush()


def _say_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _remove_leftovers(live: Path) -> None:
    """Delete temporary copies (and DuckDB's spill directories, `*.loading.tmp/`) left by a writer
    that was killed. We hold the lock, so no writer of this store is live; a leftover whose pid is
    still running (another store's writer cannot share the name) is left alone all the same."""
    for leftover in live.parent.glob(f".{live.name}.*.loading*"):
        pid = leftover.name.removeprefix(f".{live.name}.").split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        _remove(leftover)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".tmp")):
        if candidate.is_dir() and not candidate.is_symlink():
            shutil.rmtree(candidate, ignore_errors=True)
            continue
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
