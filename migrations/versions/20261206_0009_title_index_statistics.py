"""the title index's statistics (PostgreSQL): the ten thousand most common title words

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Title lookups order a title's words rarest first by ANALYZE's most common words of the title
# index (app/resolve/title_index.py). The default target keeps about a thousand, the rarest of them
# in some 3,000 titles at 3 million papers, so every other word looked alike; at 1,000 the list
# holds about 9,000 words, down to some 180 titles, below what a lookup scores itself (200). The
# price is ANALYZE's time: 11 s instead of 0.7 at 3 million papers, once after an import.
PG_UP = ["ALTER INDEX ix_papers_title_fts ALTER COLUMN 1 SET STATISTICS 1000", "ANALYZE papers"]
PG_DOWN = ["ALTER INDEX ix_papers_title_fts ALTER COLUMN 1 SET STATISTICS -1"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_DOWN:
            op.execute(statement)
