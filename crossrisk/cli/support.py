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

from crossrisk.domain.errors import CrossriskError
from crossrisk.settings import Settings, load_settings
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork

MAX_FILE_BYTES = 64 * 1024 * 1024


def fail(message: str) -> NoReturn:
    """Print one line and exit 2, the contract for bad input."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def now() -> datetime:
    return datetime.now(UTC)


def settings_or_fail() -> Settings:
    """The settings from the environment, or one line and exit 2 when they are wrong."""
    try:
        return load_settings()
    except CrossriskError as error:
        fail(error.detail)


def uow_for(settings: Settings) -> UnitOfWork:
    return UnitOfWork(make_engine(settings.database_url))


def read_text_file(file: str, *, what: str) -> str:
    """A UTF-8 text file ("-": standard input), bounded in size, or one line and exit 2."""
    if file == "-":
        return sys.stdin.read(MAX_FILE_BYTES + 1)
    path = Path(file)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            fail(f"{file} is over {MAX_FILE_BYTES // (1024 * 1024)} MiB")
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
