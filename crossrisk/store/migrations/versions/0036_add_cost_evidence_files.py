"""add cost evidence files: a cost line's proving files, their bytes kept with the line

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cost_evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("attached_by", sa.String(200), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"], ["cost_lines.id"], name=op.f("fk_cost_evidence_files_line_id_cost_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_evidence_files")),
    )
    with op.batch_alter_table("cost_evidence_files") as batch:
        batch.create_index(batch.f("ix_cost_evidence_files_line_id"), ["line_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cost_evidence_files") as batch:
        batch.drop_index(batch.f("ix_cost_evidence_files_line_id"))
    op.drop_table("cost_evidence_files")
