"""Sweeps, files and findings (scan --store).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sweeps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", _WHEN, nullable=False),
        sa.Column("recorded_at", _WHEN, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("audience", sa.Text, nullable=False),
        sa.Column("data_version", sa.Text, nullable=False),
        sa.Column("data_digest", sa.Text, nullable=False),
        sa.Column("policy_digest", sa.Text, nullable=False),
        sa.Column("procgate_version", sa.Text, nullable=False),
        sa.Column("paths", sa.JSON, nullable=False),
        sa.Column("files_seen", sa.Integer, nullable=False),
        sa.Column("files_checked", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        sa.Column("problems", sa.Integer, nullable=False),
    )
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("display", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text),
        sa.Column("first_seen", _WHEN, nullable=False),
        sa.Column("last_seen", _WHEN, nullable=False),
        sa.Column("gone_at", _WHEN),
        sa.Column("last_sweep_id", sa.Integer, sa.ForeignKey("sweeps.id"), nullable=False),
        sa.Column("vendor_values", sa.LargeBinary),
    )
    op.create_table(
        "sweep_files",
        sa.Column("sweep_id", sa.Integer, sa.ForeignKey("sweeps.id"), primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), primary_key=True),
        sa.Column("content_hash", sa.Text),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("file_key", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("occurrence", sa.Integer, nullable=False),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("pointer", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("matched", sa.Text, nullable=False),
        sa.Column("listed_name", sa.Text, nullable=False),
        sa.Column("via", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("authorities", sa.JSON, nullable=False),
        sa.Column("waivable", sa.Boolean, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("first_seen", _WHEN, nullable=False),
        sa.Column("last_seen", _WHEN, nullable=False),
        sa.Column("resolved_at", _WHEN),
        sa.Column("first_sweep_id", sa.Integer, sa.ForeignKey("sweeps.id"), nullable=False),
        sa.Column("last_sweep_id", sa.Integer, sa.ForeignKey("sweeps.id"), nullable=False),
    )
    op.create_index("findings_by_file", "findings", ["file_id"])
    op.create_index("findings_by_entity", "findings", ["entity"])
