"""BATCH messages (gzipped JSON Lines files) through Meltano into the real PostgreSQL.

`batch_config` arrives as an object from a `TAP_ZENDESK_BATCH_CONFIG` variable (meltano.yml
declares it `kind: object`); the tap writes its records to files and BATCH messages, and
target-postgres loads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.pg_server import PostgresServer
from tests.e2e.report import E2EReport
from tests.expected import key_of

pytestmark = pytest.mark.e2e

STREAMS = ("tickets", "users", "groups")
SCHEMA = "zendesk_batch"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=150, seed=81)).start() as server:
        yield server


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("batches")


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> str:
    return postgres.create_database("batch")


@pytest.fixture(scope="module")
def run(
    postgres: PostgresServer,
    database: str,
    meltano_project: MeltanoProject,
    sandbox: SandboxServer,
    batches: Path,
    e2e_report: E2EReport,
) -> MeltanoResult:
    batch_config = {
        "encoding": {"format": "jsonl", "compression": "gzip"},
        "storage": {"root": batches.as_uri(), "prefix": "zendesk-"},
    }
    result = meltano_project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        "--state-id-suffix=batch",
        "tap-zendesk",
        "target-postgres",
        env={
            **tap_env(sandbox, batch_config=batch_config),
            "TAP_ZENDESK__SELECT": json.dumps([f"{stream}.*" for stream in STREAMS]),
            **postgres.target_env(database, SCHEMA),
        },
    ).check()
    e2e_report.timing("meltano run tap-zendesk target-postgres (BATCH, jsonl.gz)", result.seconds)
    return result


def test_the_tap_writes_gzipped_json_lines_files(run: MeltanoResult, batches: Path) -> None:
    files = sorted(path.name for path in batches.iterdir())
    assert files
    assert all(name.startswith("zendesk-") and name.endswith(".json.gz") for name in files)


@pytest.mark.parametrize("stream", STREAMS)
def test_every_record_lands_in_postgres_once(
    run: MeltanoResult,
    postgres: PostgresServer,
    database: str,
    sandbox: SandboxServer,
    stream: str,
) -> None:
    assert run.returncode == 0
    rows = postgres.rows(f"SELECT id FROM {SCHEMA}.{stream}", database)
    loaded = sorted(key_of(stream, row) for row in rows)
    assert loaded == sorted(key_of(stream, r) for r in sandbox.account.expected(stream))
