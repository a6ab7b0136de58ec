"""The workflow: each finding's status, owner, due date and notes; their hash-chained history.

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
    with op.batch_alter_table("findings") as batch:
        # Every finding recorded before this revision starts as `open`, due by its clock.
        batch.add_column(sa.Column("status", sa.Text, nullable=False, server_default="open"))
        batch.add_column(sa.Column("owner", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("notes", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("due", sa.Date))
        batch.add_column(sa.Column("due_basis", sa.Text, nullable=False, server_default=""))
        batch.add_column(
            sa.Column("due_by_hand", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_table(
        "changes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False),
    )
    op.create_index("changes_by_finding", "changes", ["finding_id"])
