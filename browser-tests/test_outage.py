"""AnyDoor on PostgreSQL survives a database outage without being restarted.

scripts/test starts a throwaway PostgreSQL cluster and a second AnyDoor server on it, and exports:
  ANYDOOR_PG_BASE_URL     that AnyDoor server
  ANYDOOR_TEST_PG_BINDIR  PostgreSQL server binaries (pg_ctl)
  ANYDOOR_TEST_PG_DATA    the cluster's data folder (all its settings are in its postgresql.conf)
  ANYDOOR_TEST_PG_LOG     the server log file pg_ctl writes to
  ANYDOOR_TEST_PG_USER    the user owning the cluster (pg_ctl runs as that user via runuser when root)

While the database is down, readiness and the API must answer 503 with a problem+json body (not hang,
not 500); once it is back, both must recover by themselves.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
import requests

PG_URL = os.environ.get("ANYDOOR_PG_BASE_URL", "").rstrip("/")

pytestmark = pytest.mark.skipif(not PG_URL, reason="ANYDOOR_PG_BASE_URL is not set (run through scripts/test)")


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: scripts/test exports it with ANYDOOR_PG_BASE_URL")
    return value


def _pg_ctl(*args: str) -> None:
    """Run pg_ctl on the throwaway cluster, as its owner."""
    command = [os.path.join(_env("ANYDOOR_TEST_PG_BINDIR"), "pg_ctl"), "-D", _env("ANYDOOR_TEST_PG_DATA"), *args]
    user = os.environ.get("ANYDOOR_TEST_PG_USER", "postgres")
    if os.geteuid() == 0:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(command, cwd="/", capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


def _get(path: str) -> requests.Response | None:
    try:
        return requests.get(PG_URL + path, timeout=5, headers={"Accept": "application/json"})
    except requests.RequestException:
        return None


def _describe(response: requests.Response | None) -> str:
    if response is None:
        return "no response (connection error or timeout)"
    return f"{response.status_code} {response.headers.get('Content-Type')} {response.text[:300]!r}"


def _is_problem_503(response: requests.Response | None) -> bool:
    return (
        response is not None
        and response.status_code == 503
        and response.headers.get("Content-Type", "").split(";")[0].strip() == "application/problem+json"
    )


def _poll(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_database_outage_and_recovery():
    ready = _get("/health/ready")
    assert ready is not None and ready.status_code == 200, f"ready before the outage: {_describe(ready)}"

    _pg_ctl("stop", "-m", "fast", "-w", "-t", "60")
    try:
        # Down: readiness and the API answer 503 problem+json.
        assert _poll(lambda: _is_problem_503(_get("/health/ready")), 15), (
            f"/health/ready during the outage: {_describe(_get('/health/ready'))}"
        )
        api = _get("/api/v1/ministries")
        assert _is_problem_503(api), f"/api/v1/ministries during the outage: {_describe(api)}"
        body = api.json()
        assert isinstance(body, dict) and body.get("status", 503) == 503, f"problem details body: {body}"

        live = _get("/health/live")
        assert live is not None and live.status_code == 200, f"/health/live must stay up: {_describe(live)}"
    finally:
        # Always bring the database back (postgresql.conf holds port, socket folder and address).
        _pg_ctl("start", "-w", "-t", "60", "-l", _env("ANYDOOR_TEST_PG_LOG"))

    # Back: recovers without restarting AnyDoor.
    def recovered() -> bool:
        r1, r2 = _get("/health/ready"), _get("/api/v1/ministries")
        return r1 is not None and r1.status_code == 200 and r2 is not None and r2.status_code == 200

    assert _poll(recovered, 30), (
        f"after the outage: /health/ready {_describe(_get('/health/ready'))}; "
        f"/api/v1/ministries {_describe(_get('/api/v1/ministries'))}"
    )
