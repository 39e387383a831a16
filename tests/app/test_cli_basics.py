"""The console script as a user runs it: a real process, a real server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", **extra})
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    done = subprocess.run([EXE, "db", "upgrade"], env=_env(tmp_path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "database at revision" in done.stdout
    assert (tmp_path / "cli.db").exists()


def test_a_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run([EXE, "db", "upgrade"], env=_env(tmp_path, ARXIV_BATCH_SIZE="zero"),
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "ARXIV_BATCH_SIZE" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_answers_healthz_and_docs_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([EXE, "serve", "--port", str(port)], env=_env(tmp_path),
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "server did not start in 30 s"
                time.sleep(0.2)
        assert health.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
