"""add period settlements: a border section's statement for an agreement's round and period

A water-quality statement of the Xin'an kind settles a period (a year of a round) at a
monitoring station, not a risk: risk_id becomes optional and the statement names the
agreement, the round, the period and the station instead.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("settlements") as batch:
        batch.alter_column("risk_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("agreement_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("round", sa.String(64), nullable=True))
        batch.add_column(sa.Column("period_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("period_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("station_code", sa.String(48), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_settlements_agreement_id_agreements"),
            "agreements",
            ["agreement_id"],
            ["id"],
        )
        batch.create_index(batch.f("ix_settlements_agreement_id"), ["agreement_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM settlements WHERE risk_id IS NULL")
    with op.batch_alter_table("settlements") as batch:
        batch.drop_index(batch.f("ix_settlements_agreement_id"))
        batch.drop_constraint(batch.f("fk_settlements_agreement_id_agreements"), type_="foreignkey")
        batch.drop_column("station_code")
        batch.drop_column("period_to")
        batch.drop_column("period_from")
        batch.drop_column("round")
        batch.drop_column("agreement_id")
        batch.alter_column("risk_id", existing_type=sa.Integer(), nullable=False)
