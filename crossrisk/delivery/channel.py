"""The interface every delivery channel has and the deadline they share."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Protocol

from crossrisk.domain.delivery import ChannelKind, Envelope, Outcome, Target


class Channel(Protocol):
    """Sends one envelope to one target; never raises and returns within its timeout."""

    kind: ChannelKind

    def send(self, envelope: Envelope, target: Target, *, message_id: str) -> Outcome:
        """Try once to deliver; the outcome says how it went and whether to retry.

        message_id names the queued message: the same on every retry of it, so a
        receiver can tell a retry from a new message.
        """
        ...

    def close(self) -> None:
        """Release connections the channel keeps between sends."""
        ...


class Deadline:
    """A point in monotonic time an attempt must be over by."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, never below a small positive floor (socket timeouts reject 0)."""
        return max(self._end - time.monotonic(), 0.001)

    def passed(self) -> bool:
        return time.monotonic() >= self._end


class Cut:
    """Whether the deadline cut the connection: what was read after that is incomplete."""

    fired = False


@contextmanager
def cut_at(deadline: Deadline, sock: socket.socket | None) -> Iterator[Cut]:
    """Shut the socket down when the deadline passes, whatever it is blocked in.

    Socket timeouts bound each read, not the whole exchange: a peer that trickles one
    byte at a time would never trip them. Shutting the socket down from a timer thread
    wakes the blocked read, so the attempt ends at the deadline. A cut connection looks
    like the peer's end of data to the reader, so callers check `fired` before trusting
    what they read.
    """
    cut = Cut()
    if sock is None:
        yield cut
        return

    def shut() -> None:
        cut.fired = True
        # The plain socket's shutdown, even for TLS: it acts on the descriptor and
        # leaves the TLS object, which the reading thread still uses, alone.
        with suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    timer = threading.Timer(deadline.remaining(), shut)
    timer.daemon = True
    timer.start()
    try:
        yield cut
    finally:
        timer.cancel()


def error_text(error: BaseException) -> str:
    """An exception as one short line for an attempt's detail."""
    text = str(error).strip().replace("\r", " ").replace("\n", " ")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
