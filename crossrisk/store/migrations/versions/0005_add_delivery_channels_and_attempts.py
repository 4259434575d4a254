"""add delivery channels, outgoing messages and delivery attempts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_code"],
            ["organisations.code"],
            name=op.f("fk_delivery_channels_organisation_code_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_channels")),
        sa.UniqueConstraint(
            "organisation_code",
            "kind",
            "address",
            name=op.f("uq_delivery_channels_organisation_code"),
        ),
    )
    with op.batch_alter_table("delivery_channels") as batch:
        batch.create_index(
            batch.f("ix_delivery_channels_organisation_code"), ["organisation_code"], unique=False
        )

    op.create_table(
        "delivery_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.String(160), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("organisation_code", sa.String(64), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("cap_xml", sa.LargeBinary(), nullable=False),
        sa.Column("ack_url", sa.String(1000), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_code"],
            ["organisations.code"],
            name=op.f("fk_delivery_messages_organisation_code_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_delivery_messages_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_messages")),
    )
    with op.batch_alter_table("delivery_messages") as batch:
        batch.create_index(batch.f("ix_delivery_messages_warning_id"), ["warning_id"], unique=False)
        batch.create_index(
            batch.f("ix_delivery_messages_organisation_code"), ["organisation_code"], unique=False
        )
        batch.create_index(
            batch.f("ix_delivery_messages_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("last_detail", sa.String(500), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["delivery_messages.id"],
            name=op.f("fk_deliveries_message_id_delivery_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["delivery_channels.id"],
            name=op.f("fk_deliveries_channel_id_delivery_channels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.create_index("ix_deliveries_due", ["status", "next_attempt_at"], unique=False)
        batch.create_index(batch.f("ix_deliveries_message_id"), ["message_id"], unique=False)
        batch.create_index(batch.f("ix_deliveries_channel_id"), ["channel_id"], unique=False)

    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivery_attempts_delivery_id_deliveries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
        sa.UniqueConstraint(
            "delivery_id", "number", name=op.f("uq_delivery_attempts_delivery_id")
        ),
    )
    with op.batch_alter_table("delivery_attempts") as batch:
        batch.create_index(
            batch.f("ix_delivery_attempts_delivery_id"), ["delivery_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("delivery_attempts")
    op.drop_table("deliveries")
    op.drop_table("delivery_messages")
    op.drop_table("delivery_channels")
