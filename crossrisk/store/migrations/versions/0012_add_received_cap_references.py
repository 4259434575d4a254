"""add the references of received CAP alerts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_cap_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_alert_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("identifier", sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(
            ["received_alert_id"],
            ["received_cap_alerts.id"],
            name=op.f("fk_received_cap_references_received_alert_id_received_cap_alerts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_cap_references")),
    )
    with op.batch_alter_table("received_cap_references") as batch:
        batch.create_index(
            batch.f("ix_received_cap_references_sender_identifier"),
            ["sender", "identifier"],
            unique=False,
        )


def downgrade() -> None:
    op.drop_table("received_cap_references")
