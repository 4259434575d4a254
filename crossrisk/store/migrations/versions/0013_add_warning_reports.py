"""mark warnings that are information reports (通报)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Messages sent before were all colour warnings: social-security risks were warned
    # in colour until the Emergency Response Law (2024) Art. 63 reading made them reports.
    with op.batch_alter_table("warnings") as batch:
        batch.add_column(
            sa.Column("report", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("warnings") as batch:
        batch.drop_column("report")
