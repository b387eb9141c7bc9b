"""End-to-end pipeline fixtures: a throwaway PostgreSQL server and an installed Meltano project.

Select these tests with `pytest -m e2e`, leave them out with `-m "not e2e"`; set
TAP_ZENDESK_SKIP_POSTGRES=1 to skip only the PostgreSQL ones.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.meltano_project import MeltanoProject
from tests.e2e.pg_server import (
    NOT_FOUND,
    SKIP_VARIABLE,
    PostgresServer,
    find_bindir,
    skip_requested,
)
from tests.e2e.report import E2EReport

REPORT = E2EReport()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "e2e: end-to-end Meltano pipelines into JSONL and a throwaway PostgreSQL server "
        f"(needs PostgreSQL server binaries unless {SKIP_VARIABLE}=1)",
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Time each e2e test: setup (its share of the module's pipeline runs), call, teardown."""
    if "e2e" in report.keywords:
        # Parametrized variants are summed into one line.
        name = "test " + report.nodeid.rsplit("/", 1)[-1].split("[", 1)[0]
        REPORT.tests[name] = REPORT.tests.get(name, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT.timings or REPORT.tests or REPORT.counts:
        terminalreporter.write_sep("-", "e2e pipeline timings and row counts")
        for line in REPORT.lines():
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def e2e_report() -> E2EReport:
    """The session's timing and row-count report."""
    return REPORT


@pytest.fixture(scope="session")
def postgres(e2e_report: E2EReport) -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session; fails (not skips) when none is installed."""
    if skip_requested():
        pytest.skip(f"{SKIP_VARIABLE} is set: PostgreSQL pipeline tests skipped")
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(NOT_FOUND, pytrace=False)
    started = time.perf_counter()
    server = PostgresServer.start(bindir)
    e2e_report.timing(f"initdb + start PostgreSQL ({bindir})", time.perf_counter() - started)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def meltano_project(
    tmp_path_factory: pytest.TempPathFactory, e2e_report: E2EReport
) -> MeltanoProject:
    """The repo's Meltano project copied to a temp dir, `meltano install`ed once per session."""
    project = MeltanoProject.create(Path(tmp_path_factory.mktemp("meltano-project")))
    result = project.run("install").check()
    e2e_report.timing(
        "meltano install (tap-zendesk, target-jsonl, target-postgres)", result.seconds
    )
    return project
