"""What each sweep decided with, per entity (store/digests.py): `inventory reevaluate` decides
again only the items of entities whose data changed since.

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
    # Sweeps recorded before this revision have none: reevaluate decides their files whole.
    with op.batch_alter_table("sweeps") as batch:
        batch.add_column(sa.Column("entity_digests", sa.LargeBinary))
