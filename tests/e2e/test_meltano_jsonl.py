"""`meltano run tap-zendesk target-jsonl` against the sandbox writes exactly its records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tests.e2e.meltano_project import ENVIRONMENT, MeltanoProject, MeltanoResult, tap_env
from tests.e2e.report import E2EReport
from tests.expected import FULL_TABLE, STREAMS, expected_records, key_of

pytestmark = pytest.mark.e2e

TICKETS = 400
STATE_ID = f"{ENVIRONMENT}:tap-zendesk-to-target-jsonl:jsonl"
HOST_SETTINGS = {
    "TAP_ZENDESK_END_DATE": "2000-01-02T00:00:00Z",
    "TAP_ZENDESK__SELECT": '["groups.*"]',
    "TARGET_JSONL_CUSTOM_NAME": "host",
}
"""Set in the test process during the first run; leaked into it, they would extract nothing."""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxAccount.generate(tickets=TICKETS, seed=31)).start() as server:
        yield server


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jsonl")


def run_jsonl(project: MeltanoProject, server: SandboxServer, output: Path) -> MeltanoResult:
    return project.run(
        f"--environment={ENVIRONMENT}",
        "run",
        "--state-id-suffix=jsonl",
        "tap-zendesk",
        "target-jsonl",
        env={**tap_env(server), "TARGET_JSONL_DESTINATION_PATH": str(output)},
    ).check()


@pytest.fixture(scope="module")
def first_run(
    meltano_project: MeltanoProject, sandbox: SandboxServer, output_dir: Path, e2e_report: E2EReport
) -> MeltanoResult:
    with pytest.MonkeyPatch.context() as host:
        for name, value in HOST_SETTINGS.items():
            host.setenv(name, value)
        result = run_jsonl(meltano_project, sandbox, output_dir)
    e2e_report.timing(f"meltano run tap-zendesk target-jsonl ({TICKETS} tickets)", result.seconds)
    return result


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_host_tap_and_target_variables_do_not_reach_the_run(
    first_run: MeltanoResult, output_dir: Path
) -> None:
    counts = first_run.record_counts()

    assert "host.jsonl" not in {path.name for path in output_dir.iterdir()}
    assert all(counts[stream] > 0 for stream in STREAMS)


def test_writes_one_file_per_stream(first_run: MeltanoResult, output_dir: Path) -> None:
    assert sorted(path.name for path in output_dir.iterdir()) == sorted(
        f"{stream}.jsonl" for stream in STREAMS
    )


@pytest.mark.parametrize("stream", STREAMS)
def test_file_holds_every_sandbox_record_once(
    first_run: MeltanoResult, output_dir: Path, sandbox: SandboxServer, stream: str
) -> None:
    keys = [key_of(stream, record) for record in read_jsonl(output_dir / f"{stream}.jsonl")]
    expected = expected_records(sandbox.account, stream)

    assert len(keys) == len(set(keys))
    assert set(keys) == set(expected)


@pytest.mark.parametrize("stream", STREAMS)
def test_file_records_equal_the_api_records(
    first_run: MeltanoResult, output_dir: Path, sandbox: SandboxServer, stream: str
) -> None:
    expected = expected_records(sandbox.account, stream, typed=True)  # Meltano discovers

    mismatched = [
        key_of(stream, record)
        for record in read_jsonl(output_dir / f"{stream}.jsonl")
        if record != expected[key_of(stream, record)]
    ]

    assert mismatched == []


def test_tap_reports_as_many_records_as_the_sandbox_holds(
    first_run: MeltanoResult, sandbox: SandboxServer, e2e_report: E2EReport
) -> None:
    expected = {stream: len(sandbox.account.expected(stream)) for stream in STREAMS}
    e2e_report.rows("target-jsonl files == account.expected()", expected)

    counts = first_run.record_counts()
    assert {stream: counts[stream] for stream in STREAMS} == expected


def test_state_is_kept_in_the_e2e_environment(
    first_run: MeltanoResult, meltano_project: MeltanoProject
) -> None:
    bookmarks = meltano_project.state(STATE_ID)["bookmarks"]

    assert sorted(bookmarks) == sorted(STREAMS)


def test_second_run_without_changes_sends_only_the_full_table_streams(
    first_run: MeltanoResult,
    meltano_project: MeltanoProject,
    sandbox: SandboxServer,
    tmp_path: Path,
    e2e_report: E2EReport,
) -> None:
    """Incremental streams have nothing new; a full-table stream is its whole list every run."""
    second = run_jsonl(meltano_project, sandbox, tmp_path)
    e2e_report.timing("meltano run tap-zendesk target-jsonl, nothing changed", second.seconds)

    counts = second.record_counts()
    assert {stream: counts[stream] for stream in STREAMS} == {
        stream: len(sandbox.account.expected(stream)) if stream in FULL_TABLE else 0
        for stream in STREAMS
    }
