"""Locks a use case takes inside its transaction, released when it commits or rolls back."""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session

# pg_advisory_xact_lock's first key names the kind of lock, so other users of advisory
# locks on the same database never collide with station ids.
_STATION_FIRING = 0x5354  # "ST"
_STOCK_IMPORT = 0x534B  # "SK"
_SHEET_IMPORT = 0x5348  # "SH"


class Locks:
    """Named locks of one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def station_firing(self, station_id: int) -> None:
        """One firing per station at a time, across every process sharing the database.

        Without it two firings of one station taken together could each find no open risk
        and open two. On PostgreSQL it is an advisory lock held to the end of this
        transaction. SQLite needs none: a writing transaction holds the database's write
        lock from its BEGIN IMMEDIATE on.
        """
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:kind, :id)"),
                {"kind": _STATION_FIRING, "id": station_id},
            )

    def stock_import(self, region_code: str) -> None:
        """One stocks-sheet import per region at a time (PostgreSQL; SQLite's write lock
        serialises writers already): two imports of the same new stock taken together
        would each find it missing and record it twice."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:kind, :id)"),
                {"kind": _STOCK_IMPORT, "id": zlib.crc32(region_code.encode()) - 2**31},
            )

    def sheet_import(self, kind: str, region_code: str) -> None:
        """One sheet import of a kind (teams, equipment, shelters) per region at a time, on
        PostgreSQL, for the reason `stock_import` gives."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:kind, :id)"),
                {
                    "kind": _SHEET_IMPORT,
                    "id": zlib.crc32(f"{kind}:{region_code}".encode()) - 2**31,
                },
            )
