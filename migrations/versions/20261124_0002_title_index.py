"""full-text title index: FTS5 on SQLite, a GIN tsvector index on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# External-content FTS5 keeps one copy of the titles (in papers); the triggers keep it in step,
# as the SQLite FTS5 documentation prescribes (section 4.4.3, "External Content Tables").
SQLITE_UP = [
    """CREATE VIRTUAL TABLE papers_fts USING fts5(
           title_norm, content='papers', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers BEGIN
           INSERT INTO papers_fts(rowid, title_norm) VALUES (new.id, new.title_norm);
       END""",
    """CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN
           INSERT INTO papers_fts(papers_fts, rowid, title_norm) VALUES ('delete', old.id, old.title_norm);
       END""",
    """CREATE TRIGGER papers_fts_au AFTER UPDATE OF title_norm ON papers BEGIN
           INSERT INTO papers_fts(papers_fts, rowid, title_norm) VALUES ('delete', old.id, old.title_norm);
           INSERT INTO papers_fts(rowid, title_norm) VALUES (new.id, new.title_norm);
       END""",
    "INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS papers_fts_au",
    "DROP TRIGGER IF EXISTS papers_fts_ad",
    "DROP TRIGGER IF EXISTS papers_fts_ai",
    "DROP TABLE IF EXISTS papers_fts",
]
# 'simple' keeps every word (no stemming, no stop words): titles are short and exact wording matters.
PG_UP = ["CREATE INDEX ix_papers_title_fts ON papers USING gin (to_tsvector('simple', title_norm))"]
PG_DOWN = ["DROP INDEX IF EXISTS ix_papers_title_fts"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else PG_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else PG_DOWN:
        op.execute(statement)
