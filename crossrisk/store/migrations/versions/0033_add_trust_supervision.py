"""add trust supervision: the committee's verdicts and members' ratings of aid received

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_supervisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("recorded_kind", sa.String(32), nullable=False),
        sa.Column("counts_as", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_trust_supervisions_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_supervisions")),
    )
    with op.batch_alter_table("trust_supervisions") as batch:
        batch.create_index(batch.f("ix_trust_supervisions_target"), ["target"], unique=False)
    op.create_table(
        "trust_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("rater", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("score", sa.String(16), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_trust_ratings_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["aid_shipments.id"],
            name=op.f("fk_trust_ratings_shipment_id_aid_shipments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_ratings")),
        sa.UniqueConstraint("shipment_id", name="uq_trust_ratings_shipment_id"),
    )
    with op.batch_alter_table("trust_ratings") as batch:
        batch.create_index(batch.f("ix_trust_ratings_region_code"), ["region_code"], unique=False)
        batch.create_index(batch.f("ix_trust_ratings_subject"), ["subject"], unique=False)


def downgrade() -> None:
    op.drop_table("trust_ratings")
    op.drop_table("trust_supervisions")
