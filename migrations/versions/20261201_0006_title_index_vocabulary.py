"""the title index's vocabulary (SQLite): how many titles hold each word

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An fts5vocab table stores nothing: it reads papers_fts's own index. Title lookups ask it how
# many titles hold each word, so that a query is built from the rare words and the index does
# not rank thousands of titles that share only "learning" or "networks" (title_index.py).
SQLITE_UP = "CREATE VIRTUAL TABLE papers_fts_vocab USING fts5vocab(papers_fts, 'row')"
SQLITE_DOWN = "DROP TABLE IF EXISTS papers_fts_vocab"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_DOWN)
