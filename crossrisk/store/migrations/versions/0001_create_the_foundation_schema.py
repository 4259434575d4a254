"""create the foundation schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 08:11:32.110860
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_entries',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('organisation', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_journal_entries'))
    )
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entries_subject'), ['subject'], unique=False)

    op.create_table('journal_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_head'))
    )
    # The chain starts from the all-zero hash (crossrisk.domain.journal.GENESIS_HASH).
    op.bulk_insert(
        sa.table('journal_head', sa.column('id'), sa.column('seq'), sa.column('hash')),
        [{'id': 1, 'seq': 0, 'hash': '0' * 64}],
    )
    op.create_table('jurisdictions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('boundary', sa.JSON(), nullable=False),
    sa.Column('label_lon', sa.Float(), nullable=False),
    sa.Column('label_lat', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['jurisdictions.code'], name=op.f('fk_jurisdictions_parent_code_jurisdictions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_jurisdictions'))
    )
    with op.batch_alter_table('jurisdictions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jurisdictions_parent_code'), ['parent_code'], unique=False)

    op.create_table('regions',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    op.create_table('jurisdiction_adjacency',
    sa.Column('a_code', sa.String(length=12), nullable=False),
    sa.Column('b_code', sa.String(length=12), nullable=False),
    sa.Column('border_km', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['a_code'], ['jurisdictions.code'], name=op.f('fk_jurisdiction_adjacency_a_code_jurisdictions')),
    sa.ForeignKeyConstraint(['b_code'], ['jurisdictions.code'], name=op.f('fk_jurisdiction_adjacency_b_code_jurisdictions')),
    sa.PrimaryKeyConstraint('a_code', 'b_code', name=op.f('pk_jurisdiction_adjacency'))
    )
    op.create_table('organisations',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('jurisdiction_code', sa.String(length=12), nullable=True),
    sa.Column('region_code', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['jurisdiction_code'], ['jurisdictions.code'], name=op.f('fk_organisations_jurisdiction_code_jurisdictions')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_organisations_region_code_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_organisations'))
    )
    op.create_table('region_members',
    sa.Column('region_code', sa.String(length=32), nullable=False),
    sa.Column('jurisdiction_code', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_code'], ['jurisdictions.code'], name=op.f('fk_region_members_jurisdiction_code_jurisdictions')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_region_members_region_code_regions')),
    sa.PrimaryKeyConstraint('region_code', 'jurisdiction_code', name=op.f('pk_region_members'))
    )
    op.create_table('risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('hazard_geometry', sa.JSON(), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('consequence', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_risks_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risks'))
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_status'), ['status'], unique=False)

    op.create_table('risk_origins',
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_code', sa.String(length=12), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_code'], ['jurisdictions.code'], name=op.f('fk_risk_origins_jurisdiction_code_jurisdictions')),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_risk_origins_risk_id_risks')),
    sa.PrimaryKeyConstraint('risk_id', 'jurisdiction_code', name=op.f('pk_risk_origins'))
    )
    with op.batch_alter_table('risk_origins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_origins_jurisdiction_code'), ['jurisdiction_code'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('organisation_code', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_code'], ['organisations.code'], name=op.f('fk_users_organisation_code_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organisation_code'), ['organisation_code'], unique=False)

    op.create_table('api_tokens',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('token_sha256', name=op.f('pk_api_tokens'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_organisation_code'))

    op.drop_table('users')
    with op.batch_alter_table('risk_origins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_origins_jurisdiction_code'))

    op.drop_table('risk_origins')
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risks_status'))
        batch_op.drop_index(batch_op.f('ix_risks_region_code'))

    op.drop_table('risks')
    op.drop_table('region_members')
    op.drop_table('organisations')
    op.drop_table('jurisdiction_adjacency')
    op.drop_table('regions')
    with op.batch_alter_table('jurisdictions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jurisdictions_parent_code'))

    op.drop_table('jurisdictions')
    op.drop_table('journal_head')
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_entries_subject'))
        batch_op.drop_index(batch_op.f('ix_journal_entries_action'))

    op.drop_table('journal_entries')
