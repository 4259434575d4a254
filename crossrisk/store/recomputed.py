"""The fresh database `crossrisk recompute --into URL` writes the recomputed figures to.

Its own small schema, not the platform's: one row per recomputation (when, and the journal
head it read up to) and one per figure, its kind (metric, case, settlement, trust), its
name and its value as JSON. A database that already holds tables is not fresh and is
refused, so a recomputation never mixes with anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    select,
)

from crossrisk.domain.errors import InvalidInput
from crossrisk.store.db import make_engine

metadata = MetaData()

recomputations = Table(
    "recomputations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("journal_head", BigInteger, nullable=False),
    Column("journal_hash", String(64), nullable=False),
)

figures = Table(
    "figures",
    metadata,
    Column("recomputation_id", ForeignKey("recomputations.id"), primary_key=True),
    Column("name", String(300), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("value", JSON, nullable=True),
)


def write_figures(
    url: str,
    found: Mapping[str, Any],
    *,
    computed_at: datetime,
    journal_head: tuple[int, str],
) -> int:
    """Create the schema in the fresh database at `url` and write the figures; how many."""
    engine = make_engine(url)
    try:
        existing = inspect(engine).get_table_names()
        if existing:
            raise InvalidInput(
                f"the database is not fresh: it holds {len(existing)} tables "
                f"({', '.join(sorted(existing)[:3])}…)",
                key="recompute-not-fresh",
                params={"tables": len(existing)},
            )
        metadata.create_all(engine)
        with engine.begin() as connection:
            run = connection.execute(
                recomputations.insert().values(
                    computed_at=computed_at,
                    journal_head=journal_head[0],
                    journal_hash=journal_head[1],
                )
            ).inserted_primary_key
            assert run is not None
            connection.execute(
                figures.insert(),
                [
                    {
                        "recomputation_id": run[0],
                        "name": name,
                        "kind": name.partition(" ")[0],
                        "value": value,
                    }
                    for name, value in sorted(found.items())
                ],
            )
    finally:
        engine.dispose()
    return len(found)


def read_figures(url: str) -> dict[str, Any]:
    """The figures of the latest recomputation written to `url`, by name."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            latest = connection.execute(
                select(recomputations.c.id).order_by(recomputations.c.id.desc())
            ).scalar()
            rows = connection.execute(
                select(figures.c.name, figures.c.value).where(figures.c.recomputation_id == latest)
            )
            return {name: value for name, value in rows}
    finally:
        engine.dispose()
