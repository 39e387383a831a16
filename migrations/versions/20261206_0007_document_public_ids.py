"""documents get a public id that cannot be guessed (the integer key stays internal); refresh
passes get a heartbeat, so that a killed pass is known

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added NOT NULL with an empty default so that existing rows are allowed, then given their ids;
    # SQLite cannot alter a column, and rebuilding `documents` would cascade into its reports.
    op.add_column("documents", sa.Column("public_id", sqlmodel.sql.sqltypes.AutoString(length=32),
                                         nullable=False, server_default=""))
    bind = op.get_bind()
    ids = bind.execute(sa.text("SELECT id FROM documents")).scalars().all()
    for key in ids:
        bind.execute(sa.text("UPDATE documents SET public_id = :p WHERE id = :i"),
                     {"p": secrets.token_urlsafe(16), "i": key})
    if bind.dialect.name != "sqlite":
        op.alter_column("documents", "public_id", server_default=None)
    op.create_index("ix_documents_public_id", "documents", ["public_id"], unique=True)
    op.add_column("refresh_passes", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE refresh_passes DROP COLUMN heartbeat_at")
    else:
        op.drop_column("refresh_passes", "heartbeat_at")
    op.drop_index("ix_documents_public_id", table_name="documents")
    if op.get_bind().dialect.name == "sqlite":
        # Natively (SQLite 3.35+): a batch rebuild of `documents` would cascade into its reports.
        op.execute("ALTER TABLE documents DROP COLUMN public_id")
    else:
        op.drop_column("documents", "public_id")
