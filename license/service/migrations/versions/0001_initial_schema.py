"""Initial schema: organisations, admin tokens, members, licenses, seats,
machines, machine events, Stripe events and charges, API usage, audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 03:40:21.504525
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_usage',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('route', sa.String(length=32), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=True),
    sa.Column('license_id', sa.String(length=32), nullable=True),
    sa.Column('client_hash', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=False),
    sa.Column('latency_us', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_usage'))
    )
    with op.batch_alter_table('api_usage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_usage_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_usage_key_hash'), ['key_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_usage_license_id'), ['license_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=True),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_org_id'), ['org_id'], unique=False)

    op.create_table('machine_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('license_id', sa.String(length=32), nullable=False),
    sa.Column('seat_id', sa.String(length=32), nullable=False),
    sa.Column('machine_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_machine_events'))
    )
    with op.batch_alter_table('machine_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_machine_events_license_id'), ['license_id'], unique=False)
        batch_op.create_index('ix_machine_events_seat_kind_at', ['seat_id', 'kind', 'at'], unique=False)

    op.create_table('organisations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    op.create_table('stripe_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('created', sa.BigInteger(), nullable=False),
    sa.Column('received_at', sa.BigInteger(), nullable=False),
    sa.Column('license_id', sa.String(length=32), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_events'))
    )
    op.create_table('admin_tokens',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('revoked_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_admin_tokens_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_admin_tokens_token_hash'))
    )
    with op.batch_alter_table('admin_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_tokens_org_id'), ['org_id'], unique=False)

    op.create_table('licenses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=True),
    sa.Column('key_prefix', sa.String(length=9), nullable=True),
    sa.Column('plan', sa.String(length=16), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=True),
    sa.Column('owner_email', sa.String(length=320), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('machines_per_seat', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=True),
    sa.Column('period_end', sa.BigInteger(), nullable=True),
    sa.Column('stripe_subscription_id', sa.String(length=255), nullable=True),
    sa.Column('stripe_customer_id', sa.String(length=255), nullable=True),
    sa.Column('stripe_status', sa.String(length=32), nullable=True),
    sa.Column('stripe_snapshot_at', sa.BigInteger(), nullable=True),
    sa.Column('ver', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_licenses_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licenses')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_licenses_key_hash')),
    sa.UniqueConstraint('stripe_subscription_id', name=op.f('uq_licenses_stripe_subscription_id'))
    )
    with op.batch_alter_table('licenses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licenses_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_licenses_stripe_customer_id'), ['stripe_customer_id'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('removed_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_members_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('org_id', 'email', name=op.f('uq_members_org_id'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_org_id'), ['org_id'], unique=False)

    op.create_table('seats',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('license_id', sa.String(length=32), nullable=False),
    sa.Column('member_id', sa.String(length=32), nullable=True),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('key_prefix', sa.String(length=9), nullable=False),
    sa.Column('assigned_at', sa.BigInteger(), nullable=False),
    sa.Column('released_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['license_id'], ['licenses.id'], name=op.f('fk_seats_license_id_licenses')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_seats_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seats')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_seats_key_hash'))
    )
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seats_license_id'), ['license_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seats_member_id'), ['member_id'], unique=False)

    op.create_table('stripe_charges',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('license_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['license_id'], ['licenses.id'], name=op.f('fk_stripe_charges_license_id_licenses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_charges'))
    )
    with op.batch_alter_table('stripe_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_charges_license_id'), ['license_id'], unique=False)

    op.create_table('machines',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('license_id', sa.String(length=32), nullable=False),
    sa.Column('seat_id', sa.String(length=32), nullable=False),
    sa.Column('fingerprint_hash', sa.String(length=64), nullable=False),
    sa.Column('install_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('activated_at', sa.BigInteger(), nullable=False),
    sa.Column('last_seen_at', sa.BigInteger(), nullable=False),
    sa.Column('lease_issued_at', sa.BigInteger(), nullable=True),
    sa.Column('lease_expires_at', sa.BigInteger(), nullable=True),
    sa.Column('deactivated_at', sa.BigInteger(), nullable=True),
    sa.Column('clone_of', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['license_id'], ['licenses.id'], name=op.f('fk_machines_license_id_licenses')),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_machines_seat_id_seats')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_machines')),
    sa.UniqueConstraint('license_id', 'fingerprint_hash', name=op.f('uq_machines_license_id'))
    )
    with op.batch_alter_table('machines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_machines_install_hash'), ['install_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_machines_license_id'), ['license_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_machines_seat_id'), ['seat_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('machines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_machines_seat_id'))
        batch_op.drop_index(batch_op.f('ix_machines_license_id'))
        batch_op.drop_index(batch_op.f('ix_machines_install_hash'))

    op.drop_table('machines')
    with op.batch_alter_table('stripe_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_charges_license_id'))

    op.drop_table('stripe_charges')
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seats_member_id'))
        batch_op.drop_index(batch_op.f('ix_seats_license_id'))

    op.drop_table('seats')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_org_id'))

    op.drop_table('members')
    with op.batch_alter_table('licenses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licenses_stripe_customer_id'))
        batch_op.drop_index(batch_op.f('ix_licenses_org_id'))

    op.drop_table('licenses')
    with op.batch_alter_table('admin_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_tokens_org_id'))

    op.drop_table('admin_tokens')
    op.drop_table('stripe_events')
    op.drop_table('organisations')
    with op.batch_alter_table('machine_events', schema=None) as batch_op:
        batch_op.drop_index('ix_machine_events_seat_kind_at')
        batch_op.drop_index(batch_op.f('ix_machine_events_license_id'))

    op.drop_table('machine_events')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_org_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('api_usage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_usage_license_id'))
        batch_op.drop_index(batch_op.f('ix_api_usage_key_hash'))
        batch_op.drop_index(batch_op.f('ix_api_usage_at'))

    op.drop_table('api_usage')
