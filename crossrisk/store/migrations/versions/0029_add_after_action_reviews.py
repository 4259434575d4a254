"""add after-action reviews, their capability ratings and corrective actions

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "after_action_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        # A drill's review: drills are kept elsewhere, so a plain number, no foreign key.
        sa.Column("drill_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        _fk("after_action_reviews", "region_code", "regions", "code"),
        _fk("after_action_reviews", "risk_id", "risks", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_after_action_reviews")),
        sa.UniqueConstraint("risk_id", name=op.f("uq_after_action_reviews_risk_id")),
    )
    with op.batch_alter_table("after_action_reviews") as batch:
        batch.create_index(batch.f("ix_after_action_reviews_drill_id"), ["drill_id"])
    op.create_table(
        "review_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("capability", sa.String(64), nullable=False),
        sa.Column("rating", sa.String(1), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("improvements", sa.Text(), nullable=False),
        sa.Column("rated_by", sa.String(200), nullable=False),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        _fk("review_ratings", "review_id", "after_action_reviews", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_ratings")),
        sa.UniqueConstraint(
            "review_id", "capability", name=op.f("uq_review_ratings_review_id")
        ),
    )
    op.create_table(
        "review_corrective_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("capability", sa.String(64), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("owner_code", sa.String(64), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        _fk("review_corrective_actions", "review_id", "after_action_reviews", "id"),
        _fk("review_corrective_actions", "duty_id", "duties", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_corrective_actions")),
        sa.UniqueConstraint(
            "review_id", "number", name=op.f("uq_review_corrective_actions_review_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("review_corrective_actions")
    op.drop_table("review_ratings")
    with op.batch_alter_table("after_action_reviews") as batch:
        batch.drop_index(batch.f("ix_after_action_reviews_drill_id"))
    op.drop_table("after_action_reviews")
