"""mark warnings that are information reports (通报); keep a risk's English title

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Messages sent before were all colour warnings: social-security risks were warned
    # in colour until the Emergency Response Law (2024) Art. 63 reading made them reports.
    with op.batch_alter_table("warnings") as batch:
        batch.add_column(
            sa.Column("report", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    # A station writes its risks' titles in Chinese and English; pages show the one of
    # their language. Earlier titles hold both in one text and keep showing it.
    with op.batch_alter_table("risks") as batch:
        batch.add_column(
            sa.Column("title_en", sa.String(200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("risks") as batch:
        batch.drop_column("title_en")
    with op.batch_alter_table("warnings") as batch:
        batch.drop_column("report")
