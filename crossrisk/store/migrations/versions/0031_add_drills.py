"""add drills, and the drill each risk a drill created belongs to

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("scenario_sha256", sa.String(64), nullable=False),
        sa.Column("speed", sa.Float(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("clock_start", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failure", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_drills_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drills")),
    )
    with op.batch_alter_table("drills") as batch:
        batch.create_index(batch.f("ix_drills_region_code"), ["region_code"], unique=False)
    with op.batch_alter_table("risks") as batch:
        batch.add_column(sa.Column("drill_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_risks_drill_id_drills"), "drills", ["drill_id"], ["id"])
        batch.create_index(batch.f("ix_risks_drill_id"), ["drill_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risks") as batch:
        batch.drop_index(batch.f("ix_risks_drill_id"))
        batch.drop_constraint(batch.f("fk_risks_drill_id_drills"), type_="foreignkey")
        batch.drop_column("drill_id")
    op.drop_table("drills")
