"""compose.yaml and the Dockerfile say only what the program understands.

No Docker engine runs here, so neither file is ever started by the tests; what can be checked without
one is that every service built from this repository runs a real `arxiv-enrich` command with options
it accepts, and sets only variables that are settings (with values the settings accept).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.core import TyperGroup

from app.cli import cli
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# Variables the image reads that are not our settings: uvicorn's own.
NOT_SETTINGS = {"FORWARDED_ALLOW_IPS"}
_VARIABLE = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def interpolated(value: object) -> str:
    """A compose value with each ${VAR:-default} replaced by its default (the environment unset)."""
    return _VARIABLE.sub(lambda m: m.group(2) or "", str(value)).replace("$$", "$")


def command_problem(argv: list[str]) -> str | None:
    """Why argv is not a command `arxiv-enrich` accepts, or None. Parses; runs nothing."""
    if not argv or argv[0] != "arxiv-enrich":
        return f"{argv!r} does not run arxiv-enrich"
    command = typer.main.get_command(cli)
    args = argv[1:]
    while isinstance(command, TyperGroup) and args:
        sub = command.commands.get(args[0])
        if sub is None:
            return f"no command {args[0]!r} in {argv!r}"
        command, args = sub, args[1:]
    if isinstance(command, TyperGroup):
        return f"{argv!r} names a group of commands, not a command"
    try:
        command.make_context(argv[0], list(args))
    except Exception as exc:  # typer's (vendored) click usage errors: an unknown option, a bad value
        return f"{argv!r}: {exc}"
    return None


def environment_problems(environment: dict[str, Any]) -> list[str]:
    fields = {name.upper() for name in Settings.model_fields}
    problems = [f"{name} is not a setting" for name in environment
                if name not in fields and name not in NOT_SETTINGS]
    values = {name.lower(): interpolated(v) for name, v in environment.items() if name in fields}
    try:
        Settings(_env_file=None, **values)  # type: ignore[call-arg]
    except ValueError as exc:
        problems.append(f"a value the settings refuse: {exc}")
    return problems


def ours(services: dict[str, Any]) -> dict[str, Any]:
    """The services that run this repository's image."""
    return {name: s for name, s in services.items()
            if "build" in s or str(s.get("image", "")).startswith("arxiv-enrich")}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_service_of_ours_runs_a_real_command_with_real_settings(compose: dict[str, Any]) -> None:
    services = ours(compose["services"])
    # PostgreSQL, the schema once, the API, the refresh worker and the mirror worker at least.
    assert len(services) >= 4, sorted(services)
    problems = {}
    for name, service in services.items():
        found = [p for p in [command_problem(service.get("command", []))] if p]
        found += environment_problems(service.get("environment", {}))
        if found:
            problems[name] = found
    assert problems == {}


def test_the_schema_is_migrated_once_before_the_others_start(compose: dict[str, Any]) -> None:
    services = ours(compose["services"])
    migrators = [n for n, s in services.items() if s.get("command") == ["arxiv-enrich", "db", "upgrade"]]
    assert len(migrators) == 1
    for name, service in services.items():
        if name not in migrators:
            assert service["depends_on"][migrators[0]] == {"condition": "service_completed_successfully"}, name


def test_every_process_shares_one_database_and_one_politeness_interval(compose: dict[str, Any]) -> None:
    environments = [s["environment"] for s in ours(compose["services"]).values()]
    assert len({e["DATABASE_URL"] for e in environments}) == 1
    # The gate's wait is computed with each process's own interval: they must all be the same.
    assert len({e["ARXIV_MIN_INTERVAL"] for e in environments}) == 1


def test_the_checks_above_catch_what_they_are_for() -> None:
    assert command_problem(["arxiv-enrich", "serve", "--hots", "0.0.0.0"]) is not None
    assert command_problem(["arxiv-enrich", "refesh"]) is not None
    assert command_problem(["arxiv-enrich", "db", "downgrade"]) is not None
    assert command_problem(["uvicorn", "app.api:app"]) is not None
    assert command_problem(["arxiv-enrich", "refresh", "--stale-only", "--json"]) is None
    assert environment_problems({"ARXIV_MIN_INTERVALL": "3"}) == ["ARXIV_MIN_INTERVALL is not a setting"]
    assert environment_problems({"REFRESH_SCHEDULE": "${REFRESH_SCHEDULE:-every day}"}) != []
    assert environment_problems({"REFRESH_SCHEDULE": "${REFRESH_SCHEDULE:-30 2 * * *}"}) == []


def test_the_dockerfile_installs_every_package_and_runs_a_real_command() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = {line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ")}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages <= copied
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    argv = json.loads(cmd.removeprefix("CMD "))
    assert command_problem(argv) is None
    # The HEALTHCHECK asks the port the image serves on.
    port = argv[argv.index("--port") + 1]
    assert f"127.0.0.1:{port}/healthz" in dockerfile
    assert f"EXPOSE {port}" in dockerfile
