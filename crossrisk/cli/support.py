"""What every command module shares: the one-line failure, settings and the unit of work."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import NoReturn

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.locale import local_time
from crossrisk.services import users
from crossrisk.settings import Settings, load_settings
from crossrisk.store.db import has_schema, make_engine
from crossrisk.store.uow import UnitOfWork

MAX_FILE_BYTES = 64 * 1024 * 1024


def fail(message: str) -> NoReturn:
    """Print one line and exit 2, the contract for bad input."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def now() -> datetime:
    return datetime.now(UTC)


def beijing_time(moment: datetime) -> str:
    """A stored (UTC) moment as the pages show it: Beijing time, to the minute."""
    return local_time(moment, "en", "yyyy-MM-dd HH:mm 'UTC+8'")


def settings_or_fail() -> Settings:
    """The settings from the environment, or one line and exit 2 when they are wrong."""
    try:
        return load_settings()
    except CrossriskError as error:
        fail(error.detail)


def uow_for(settings: Settings) -> UnitOfWork:
    """The unit of work on the configured database, or one line and exit 2 when it is not
    there yet (a command run before `crossrisk init`, or in the wrong environment)."""
    try:
        ready = has_schema(settings.database_url)
    except SQLAlchemyError as error:
        fail(database_failure(settings.database_url, error))
    if not ready:
        fail(f"no crossrisk database at {safe_url(settings.database_url)}; run `crossrisk init`")
    return UnitOfWork(make_engine(settings.database_url))


def database_failure(url: str, error: SQLAlchemyError) -> str:
    """One line that names the database (without its password) and the driver's reason."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (
        f"cannot use the database {safe_url(url)}: {reason[0] if reason else type(error).__name__}"
    )


def safe_url(url: str) -> str:
    """A database URL fit to print: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def read_text_file(file: str, *, what: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A UTF-8 text file ("-": standard input), bounded in size, or one line and exit 2."""
    limit = f"{max_bytes // (1024 * 1024)} MiB"
    if file == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            fail(f"{what} on standard input is over {limit}")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            fail(f"{what} on standard input is not UTF-8 text")
    path = Path(file)
    try:
        if path.stat().st_size > max_bytes:
            fail(f"{file} is over {limit}")
        return path.read_text("utf-8")
    except OSError as exc:
        fail(f"cannot read {what} {file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"{what} {file} is not UTF-8 text")


def stop_on_signals() -> threading.Event:
    """An event that Ctrl-C or SIGTERM sets: how a long-running command is told to stop."""
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return stop


# The largest row id the tables hold (a 32-bit integer column on PostgreSQL).
ID_MAX = 2**31 - 1
ACTING = click.option(
    "--as", "username", default=None, help="Act as this user (default: the platform)."
)


def session(username: str | None) -> tuple[UnitOfWork, Actor]:
    """The unit of work, and the actor: the user named by --as, else the platform."""
    uow = uow_for(settings_or_fail())
    actor = system_actor("cli") if username is None else users.acting_as(uow, username)
    return uow, actor


def row_id(value: str, what: str) -> int:
    """A row id typed on the command line, or one line and exit 2."""
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 10
        or not 1 <= int(value) <= ID_MAX
    ):
        fail(f"no {what} {value[:20]!r}: an id is a whole number from 1 to {ID_MAX}")
    return int(value)
