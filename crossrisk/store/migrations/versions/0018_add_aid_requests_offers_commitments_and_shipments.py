"""add aid requests, offers, commitments and shipments

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "aid_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        _fk("aid_requests", "region_code", "regions", "code"),
        _fk("aid_requests", "jurisdiction_code", "jurisdictions", "code"),
        _fk("aid_requests", "risk_id", "risks", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_requests")),
    )
    with op.batch_alter_table("aid_requests") as batch:
        batch.create_index("ix_aid_requests_region_state", ["region_code", "state"])
        batch.create_index("ix_aid_requests_jurisdiction", ["jurisdiction_code"])
    op.create_table(
        "aid_request_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("needed_by", sa.DateTime(), nullable=False),
        sa.Column("destination", sa.String(200), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("substitutes", sa.JSON(), nullable=False),
        _fk("aid_request_lines", "request_id", "aid_requests", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_request_lines")),
    )
    with op.batch_alter_table("aid_request_lines") as batch:
        batch.create_index(batch.f("ix_aid_request_lines_request_id"), ["request_id"])
    op.create_table(
        "aid_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        _fk("aid_offers", "request_id", "aid_requests", "id"),
        _fk("aid_offers", "region_code", "regions", "code"),
        _fk("aid_offers", "jurisdiction_code", "jurisdictions", "code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_offers")),
    )
    with op.batch_alter_table("aid_offers") as batch:
        batch.create_index(batch.f("ix_aid_offers_request_id"), ["request_id"])
    op.create_table(
        "aid_offer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("request_line_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("earliest_dispatch", sa.DateTime(), nullable=False),
        sa.Column("estimated_arrival", sa.DateTime(), nullable=False),
        sa.Column("cost_cny", sa.Float(), nullable=False),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("accepted_quantity", sa.Float(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        _fk("aid_offer_lines", "offer_id", "aid_offers", "id"),
        _fk("aid_offer_lines", "request_line_id", "aid_request_lines", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_offer_lines")),
    )
    with op.batch_alter_table("aid_offer_lines") as batch:
        batch.create_index(batch.f("ix_aid_offer_lines_offer_id"), ["offer_id"])
    op.create_table(
        "aid_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("request_line_id", sa.Integer(), nullable=False),
        sa.Column("donor_jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("due", sa.DateTime(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(200), nullable=False),
        sa.Column("offer_line_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.String(500), nullable=False),
        _fk("aid_commitments", "region_code", "regions", "code"),
        _fk("aid_commitments", "request_id", "aid_requests", "id"),
        _fk("aid_commitments", "request_line_id", "aid_request_lines", "id"),
        _fk("aid_commitments", "donor_jurisdiction_code", "jurisdictions", "code"),
        _fk("aid_commitments", "offer_line_id", "aid_offer_lines", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_commitments")),
    )
    with op.batch_alter_table("aid_commitments") as batch:
        batch.create_index(
            "ix_aid_commitments_region_donor", ["region_code", "donor_jurisdiction_code"]
        )
        batch.create_index(batch.f("ix_aid_commitments_request_id"), ["request_id"])
    op.create_table(
        "aid_shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=False),
        sa.Column("dispatched_by", sa.String(200), nullable=False),
        sa.Column("expected_arrival", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("in_transit_at", sa.DateTime(), nullable=True),
        sa.Column("received_quantity", sa.Float(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("received_by", sa.String(200), nullable=True),
        sa.Column("note", sa.String(1000), nullable=False),
        _fk("aid_shipments", "commitment_id", "aid_commitments", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_shipments")),
    )
    with op.batch_alter_table("aid_shipments") as batch:
        batch.create_index(batch.f("ix_aid_shipments_commitment_id"), ["commitment_id"])


def downgrade() -> None:
    op.drop_table("aid_shipments")
    op.drop_table("aid_commitments")
    op.drop_table("aid_offer_lines")
    op.drop_table("aid_offers")
    op.drop_table("aid_request_lines")
    op.drop_table("aid_requests")
