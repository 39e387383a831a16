"""Every setting of DESIGN.md's table, read from the environment and `.env`, validated."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """A setting with a bad value; the message names the variable and says what is wrong."""


class Settings(BaseSettings):
    """The service's configuration. Built once, in app/runtime.py, and passed down."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        case_sensitive=False,
        extra="ignore",
        frozen=True,
    )

    database_url: str = "sqlite:///./arxiv-enrich.db"
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_oai_url: str = "https://oaipmh.arxiv.org/oai"
    arxiv_min_interval: Annotated[float, Field(ge=0.0, le=3600.0)] = 3.0
    # arXiv's API serves at most 2000 results a page reliably (ARXIV-API.md §3.1).
    arxiv_batch_size: Annotated[int, Field(ge=1, le=2000)] = 500
    # Titles OR'ed into one search request (each asks RESULTS_PER_TITLE results); chosen on the
    # accuracy harness (docs/BENCHMARKS.md, "Titles per search request").
    arxiv_titles_per_request: Annotated[int, Field(ge=1, le=100)] = 2
    arxiv_timeout: Annotated[float, Field(gt=0.0, le=600.0)] = 30.0
    arxiv_max_retries: Annotated[int, Field(ge=0, le=50)] = 5
    arxiv_contact: str = ""
    cache_ttl_hours: Annotated[float, Field(gt=0.0)] = 168.0
    negative_ttl_hours: Annotated[float, Field(gt=0.0)] = 24.0
    api_key: str = Field(default="", repr=False)
    max_document_bytes: Annotated[int, Field(ge=1, le=1_000_000_000)] = 5_000_000
    refresh_schedule: str = ""
    # The upstream budget of one request: distinct ids and titles the cache lacks that one request
    # may send to arXiv (past it: unverified, or 413 where the document would be stored).
    max_upstream_ids: Annotated[int, Field(ge=1, le=1_000_000)] = 1000
    max_upstream_titles: Annotated[int, Field(ge=1, le=100_000)] = 100
    # Requests per minute one client may make to the endpoints that can reach arXiv (anonymous
    # clients by address, a key holder by key); 0 turns the limit off.
    rate_limit_per_minute: Annotated[int, Field(ge=0, le=1_000_000)] = 60
    # Seconds a client may take to send a request body, and to send its next request on a kept-alive
    # connection: slow clients must not hold connections open.
    body_timeout: Annotated[float, Field(gt=0.0, le=3600.0)] = 30.0
    keep_alive_timeout: Annotated[int, Field(ge=1, le=3600)] = 5
    # Connections and requests in flight at once, per server process: past it, 503 at once.
    max_connections: Annotated[int, Field(ge=1, le=1_000_000)] = 1000
    # Where refresh passes read changes: "api" re-fetches held papers by id; "oai" harvests what
    # changed since the last pass (OAI-PMH arXivRaw), the better source for a full local mirror.
    refresh_source: Literal["api", "oai"] = "api"
    # A complete mirror (`arxiv-enrich mirror`) answers ids and titles without asking arXiv while
    # its last finished harvest is at most this old; past it, resolution asks arXiv as without one.
    mirror_max_age_hours: Annotated[float, Field(gt=0.0, le=24.0 * 365)] = 48.0

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql:"):
            # psycopg 3 is the driver we ship; SQLAlchemy would otherwise look for psycopg2.
            value = "postgresql+psycopg:" + value.removeprefix("postgresql:")
        if value.startswith("sqlite:"):
            from app.db import sqlite_folder_problem

            problem = sqlite_folder_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("arxiv_api_url", "arxiv_oai_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("arxiv_contact")
    @classmethod
    def _contact(cls, value: str) -> str:
        value = value.strip()
        if value and ("@" not in value or any(c.isspace() or c in "()<>" for c in value)):
            raise ValueError("must be an e-mail address (it goes into the User-Agent)")
        return value

    @field_validator("refresh_schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        value = value.strip()
        if value:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(value)
            except ValueError as exc:
                raise ValueError(f"not a cron expression ({exc})") from exc
        return value


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`; a bad value raises SettingsError in one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']} (got {first.get('input')!r})") from None
