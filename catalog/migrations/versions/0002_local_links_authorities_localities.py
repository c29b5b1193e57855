"""Answers with several local categories, translated authority lines, localities, county aliases, checklist offers

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_local_category",
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("faq_entry.id", ondelete="CASCADE"), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("service_category.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "category_id"),
    )
    # Each entry's one local category becomes its first local link; nothing stored is lost.
    op.execute(
        "INSERT INTO faq_local_category (entry_id, category_id, position) "
        "SELECT id, local_category_id, 1 FROM faq_entry WHERE local_category_id IS NOT NULL"
    )
    with op.batch_alter_table("faq_entry") as batch:
        batch.drop_column("local_category_id")
        batch.add_column(sa.Column("offer_checklist", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("see_also", sa.JSON(), nullable=False, server_default="[]"))
        batch.alter_column("authority", type_=sa.String(length=400))
    with op.batch_alter_table("faq_text") as batch:
        batch.add_column(sa.Column("authority", sa.String(length=400), nullable=True))
    with op.batch_alter_table("municipality") as batch:
        batch.add_column(sa.Column("localities", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("county") as batch:
        batch.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("county") as batch:
        batch.drop_column("aliases")
    with op.batch_alter_table("municipality") as batch:
        batch.drop_column("localities")
    with op.batch_alter_table("faq_text") as batch:
        batch.drop_column("authority")
    with op.batch_alter_table("faq_entry") as batch:
        batch.drop_column("see_also")
        batch.drop_column("offer_checklist")
        batch.add_column(sa.Column("local_category_id", sa.Integer(), sa.ForeignKey("service_category.id"),
                                   nullable=True))
    op.execute(
        "UPDATE faq_entry SET local_category_id = (SELECT category_id FROM faq_local_category "
        "WHERE faq_local_category.entry_id = faq_entry.id ORDER BY position LIMIT 1)"
    )
    op.drop_table("faq_local_category")
