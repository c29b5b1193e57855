"""Staff accounts, the audit log, local notes, outdated translations, publishing (training runs), seed state

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(length=200), nullable=False, unique=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipality.id"), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_table(
        "local_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("faq_entry.id", ondelete="CASCADE"), nullable=False),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("text", sa.String(length=400), nullable=False),
        sa.UniqueConstraint("entry_id", "municipality_id", "language"),
    )
    with op.batch_alter_table("faq_text") as batch:
        batch.add_column(sa.Column("outdated", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("faq_entry") as batch:
        batch.add_column(sa.Column("in_model", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "training_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=True),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("keys", sa.JSON(), nullable=False),
        sa.Column("log_tail", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_table(
        "seed_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("files_hash", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("seed_state")
    op.drop_table("training_run")
    with op.batch_alter_table("faq_entry") as batch:
        batch.drop_column("in_model")
    with op.batch_alter_table("faq_text") as batch:
        batch.drop_column("outdated")
    op.drop_table("local_note")
    op.drop_table("audit_entry")
    op.drop_table("staff_account")
