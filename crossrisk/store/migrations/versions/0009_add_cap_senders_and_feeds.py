"""add CAP senders, feeds and who may deliver them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cap_senders",
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=True),
        sa.Column("require_signature", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_cap_senders_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("sender_id", name=op.f("pk_cap_senders")),
    )
    with op.batch_alter_table("cap_senders") as batch:
        batch.create_index(batch.f("ix_cap_senders_region_code"), ["region_code"], unique=False)
    op.create_table(
        "cap_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_cap_feeds_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_feeds")),
    )
    with op.batch_alter_table("cap_feeds") as batch:
        batch.create_index(batch.f("ix_cap_feeds_region_code"), ["region_code"], unique=False)
    op.create_table(
        "cap_sender_deliverers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("organisation_code", sa.String(64), nullable=True),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["cap_senders.sender_id"],
            name=op.f("fk_cap_sender_deliverers_sender_id_cap_senders"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_code"],
            ["organisations.code"],
            name=op.f("fk_cap_sender_deliverers_organisation_code_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["cap_feeds.id"], name=op.f("fk_cap_sender_deliverers_feed_id_cap_feeds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_sender_deliverers")),
        sa.UniqueConstraint(
            "sender_id", "organisation_code", name=op.f("uq_cap_sender_deliverers_organisation")
        ),
        sa.UniqueConstraint("sender_id", "feed_id", name=op.f("uq_cap_sender_deliverers_feed")),
    )
    with op.batch_alter_table("cap_sender_deliverers") as batch:
        batch.create_index(
            batch.f("ix_cap_sender_deliverers_sender_id"), ["sender_id"], unique=False
        )
    op.create_table(
        "cap_feed_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("entry_sha256", sa.String(64), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["cap_feeds.id"], name=op.f("fk_cap_feed_entries_feed_id_cap_feeds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_feed_entries")),
        sa.UniqueConstraint(
            "feed_id", "entry_sha256", name=op.f("uq_cap_feed_entries_feed_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("cap_feed_entries")
    op.drop_table("cap_sender_deliverers")
    op.drop_table("cap_feeds")
    op.drop_table("cap_senders")
