"""add the firing outbox

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# SQLite autoincrements only a column declared exactly INTEGER PRIMARY KEY.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "firings",
        sa.Column("id", ROW_ID, nullable=False, autoincrement=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("firing", sa.JSON(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_firings_station_id_stations")
        ),
        sa.ForeignKeyConstraint(["risk_id"], ["risks.id"], name=op.f("fk_firings_risk_id_risks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firings")),
    )
    with op.batch_alter_table("firings") as batch:
        batch.create_index(batch.f("ix_firings_station_id"), ["station_id"], unique=False)
        batch.create_index(batch.f("ix_firings_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("firings")
