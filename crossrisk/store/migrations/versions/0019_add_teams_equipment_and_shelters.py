"""add response teams, equipment and shelters

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _common(table: str) -> list[sa.Column[object] | sa.Constraint]:
    """The columns and keys every base-information table shares."""
    return [
        sa.Column("owner_code", sa.String(64), nullable=False),
        sa.Column("sharing", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f(f"fk_{table}_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdictions.code"],
            name=op.f(f"fk_{table}_jurisdiction_code_jurisdictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _place() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "aid_teams",
        *_place(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("type_level", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("readiness_hours", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        *_common("aid_teams"),
    )
    with op.batch_alter_table("aid_teams") as batch:
        batch.create_index("ix_aid_teams_region_kind", ["region_code", "kind"], unique=False)
        batch.create_index("ix_aid_teams_jurisdiction", ["jurisdiction_code"], unique=False)
    op.create_table(
        "aid_equipment",
        *_place(),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("capability", sa.Float(), nullable=False),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        *_common("aid_equipment"),
    )
    with op.batch_alter_table("aid_equipment") as batch:
        batch.create_index(
            "ix_aid_equipment_region_kind", ["region_code", "kind"], unique=False
        )
        batch.create_index(
            "ix_aid_equipment_jurisdiction", ["jurisdiction_code"], unique=False
        )
    op.create_table(
        "aid_shelters",
        *_place(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("class_code", sa.String(64), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        *_common("aid_shelters"),
    )
    with op.batch_alter_table("aid_shelters") as batch:
        batch.create_index(
            "ix_aid_shelters_region_state", ["region_code", "state"], unique=False
        )
        batch.create_index("ix_aid_shelters_jurisdiction", ["jurisdiction_code"], unique=False)


def downgrade() -> None:
    op.drop_table("aid_shelters")
    op.drop_table("aid_equipment")
    op.drop_table("aid_teams")
