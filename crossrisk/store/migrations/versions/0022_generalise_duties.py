"""generalise duties: lines without a risk, and lines named by a task, title and source

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("duties") as batch:
        batch.add_column(sa.Column("task", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("title", sa.String(500), nullable=True))
        batch.add_column(sa.Column("title_en", sa.String(500), nullable=True))
        batch.add_column(sa.Column("source", sa.String(64), nullable=False, server_default=""))
        batch.alter_column("risk_id", existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint("uq_duties_risk_id", type_="unique")
        batch.create_unique_constraint(
            "uq_duties_risk_id", ["risk_id", "kind", "organisation_code", "task"]
        )


def downgrade() -> None:
    with op.batch_alter_table("duties") as batch:
        batch.drop_constraint("uq_duties_risk_id", type_="unique")
        batch.create_unique_constraint("uq_duties_risk_id", ["risk_id", "kind", "organisation_code"])
        batch.alter_column("risk_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("source")
        batch.drop_column("title_en")
        batch.drop_column("title")
        batch.drop_column("task")
