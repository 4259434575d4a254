"""add the indexes the register's orders and the journal browser's filters use

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("risks") as batch:
        batch.create_index("ix_risks_updated_at_id", ["updated_at", "id"], unique=False)
        batch.create_index("ix_risks_created_at_id", ["created_at", "id"], unique=False)
    with op.batch_alter_table("journal_entries") as batch:
        batch.create_index("ix_journal_entries_organisation", ["organisation"], unique=False)
        batch.create_index("ix_journal_entries_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("journal_entries") as batch:
        batch.drop_index("ix_journal_entries_at")
        batch.drop_index("ix_journal_entries_organisation")
    with op.batch_alter_table("risks") as batch:
        batch.drop_index("ix_risks_created_at_id")
        batch.drop_index("ix_risks_updated_at_id")
