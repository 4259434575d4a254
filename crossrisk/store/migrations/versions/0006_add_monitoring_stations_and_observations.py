"""add monitoring stations and observations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# SQLite autoincrements only a column declared exactly INTEGER PRIMARY KEY.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(48), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("variable", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("hazard_type", sa.String(32), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("valid_min", sa.Float(), nullable=True),
        sa.Column("valid_max", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("open_risk_id", sa.Integer(), nullable=True),
        sa.Column("fired_level", sa.Integer(), nullable=True),
        sa.Column("fired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_stations_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdictions.code"],
            name=op.f("fk_stations_jurisdiction_code_jurisdictions"),
        ),
        sa.ForeignKeyConstraint(
            ["open_risk_id"], ["risks.id"], name=op.f("fk_stations_open_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("code", name=op.f("uq_stations_code")),
    )
    with op.batch_alter_table("stations") as batch:
        batch.create_index(batch.f("ix_stations_region_code"), ["region_code"], unique=False)
        batch.create_index(
            batch.f("ix_stations_jurisdiction_code"), ["jurisdiction_code"], unique=False
        )

    op.create_table(
        "observations",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_observations_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        # One reading per station and time: a redelivered message is stored once. The
        # constraint's index also serves "this station's readings over a window".
        sa.UniqueConstraint("station_id", "observed_at", name=op.f("uq_observations_station_id")),
    )

    op.create_table(
        "refused_observation_counts",
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("station_code", sa.String(48), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "reason", "station_code", name=op.f("pk_refused_observation_counts")
        ),
    )


def downgrade() -> None:
    op.drop_table("refused_observation_counts")
    op.drop_table("observations")
    op.drop_table("stations")
