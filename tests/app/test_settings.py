"""Settings come from the environment and .env; a bad value is one line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import SettingsError, load_settings


def test_defaults_match_the_design_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "ARXIV_MIN_INTERVAL", "ARXIV_BATCH_SIZE", "API_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:///./arxiv-enrich.db"
    assert settings.arxiv_api_url == "https://export.arxiv.org/api/query"
    assert settings.arxiv_oai_url == "https://oaipmh.arxiv.org/oai"
    assert (settings.arxiv_min_interval, settings.arxiv_batch_size) == (3.0, 500)
    assert (settings.arxiv_timeout, settings.arxiv_max_retries) == (30.0, 5)
    assert (settings.cache_ttl_hours, settings.negative_ttl_hours) == (168.0, 24.0)
    assert settings.max_document_bytes == 5_000_000
    assert settings.api_key == ""
    assert settings.refresh_schedule == ""


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ARXIV_BATCH_SIZE=50\nARXIV_CONTACT=ops@example.org\n")
    monkeypatch.setenv("ARXIV_MIN_INTERVAL", "0.5")
    monkeypatch.delenv("ARXIV_BATCH_SIZE", raising=False)
    settings = load_settings()
    assert settings.arxiv_batch_size == 50
    assert settings.arxiv_contact == "ops@example.org"
    assert settings.arxiv_min_interval == 0.5


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ARXIV_MIN_INTERVAL", "abc"),
        ("ARXIV_BATCH_SIZE", "0"),
        ("ARXIV_BATCH_SIZE", "5000"),
        ("DATABASE_URL", "mysql://x"),
        ("ARXIV_API_URL", "ftp://x"),
        ("ARXIV_CONTACT", "not an address"),
        ("REFRESH_SCHEDULE", "every day"),
        ("MAX_DOCUMENT_BYTES", "-1"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{name}:")
    assert "\n" not in message


def test_plain_postgresql_urls_use_psycopg_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/arxiv")
    assert load_settings().database_url == "postgresql+psycopg://db/arxiv"


def test_the_api_key_never_shows_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", "s3cret-key")
    assert "s3cret-key" not in repr(load_settings())


def test_a_sqlite_url_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(SettingsError, match=r"DATABASE_URL: .*folder .*no/such/dir does not exist"):
        load_settings(database_url=f"sqlite:///{missing}/x.db")
    assert not (tmp_path / "no").exists()
    assert load_settings(database_url=f"sqlite:///{tmp_path}/x.db").database_url.endswith("/x.db")


def test_the_hardening_limits_have_defaults_and_refuse_nonsense() -> None:
    settings = load_settings()
    assert (settings.max_upstream_ids, settings.max_upstream_titles) == (1000, 100)
    assert settings.rate_limit_per_minute == 60
    assert (settings.body_timeout, settings.keep_alive_timeout, settings.max_connections) == (30.0, 5, 1000)
    with pytest.raises(SettingsError, match="MAX_UPSTREAM_IDS"):
        load_settings(max_upstream_ids=0)
