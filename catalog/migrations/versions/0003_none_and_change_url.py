"""A municipality may have no service of a category (`none: true`); an answer links the page about a rule change

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.add_column(sa.Column("none", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("faq_entry") as batch:
        batch.add_column(sa.Column("change_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_entry") as batch:
        batch.drop_column("change_url")
    op.execute('DELETE FROM service WHERE "none"')
    with op.batch_alter_table("service") as batch:
        batch.drop_column("none")
