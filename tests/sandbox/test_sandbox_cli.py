"""The ``tap-zendesk-sandbox`` command, run as a real process, and its argument parsing."""

import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from tap_zendesk.sandbox import FaultPlan, RateLimits
from tap_zendesk.sandbox.cli import parse_args

COMMAND = "import sys; from tap_zendesk.sandbox.cli import main; sys.exit(main())"
AUTH = ("sandbox@example.com/token", "tok")


@pytest.fixture
def start_cli() -> Iterator:
    """Return ``start(*args)``: start the command on a free port; yield process and output."""
    processes = []

    def start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
        process = subprocess.Popen(
            [sys.executable, "-c", COMMAND, "--port", "0", "--tickets", "30", "--api-token", "tok",
             *args],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        processes.append(process)
        printed = {}
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("Press Ctrl+C"):
                break
            name, _, value = line.strip().partition(": ")
            printed[name.strip()] = value.strip()
        return process, printed

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


@pytest.fixture
def cli(start_cli) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """The command with its default options."""
    return start_cli()


def test_cli_prints_the_base_url_and_credentials(cli):
    _, printed = cli
    assert printed["base URL"].startswith("http://127.0.0.1:")
    assert (printed["email"], printed["api_token"], printed["access_token"]) == (
        "sandbox@example.com",
        "tok",
        "sandbox-access-token",
    )


def test_cli_prints_the_oauth_client(cli):
    _, printed = cli
    assert (printed["client_id"], printed["client_secret"], printed["refresh_token"]) == (
        "sandbox-client",
        "sandbox-client-secret",
        "sandbox-refresh-token-0",
    )
    assert printed["token URL"] == printed["base URL"] + "/oauth/tokens"


def test_cli_serves_until_sigterm(cli):
    process, printed = cli
    response = requests.get(printed["base URL"] + "/api/v2/groups", auth=AUTH, timeout=5)
    process.send_signal(signal.SIGTERM)
    assert response.status_code == 200
    assert process.wait(timeout=10) == 0


def test_cli_injects_the_faults_asked_for(start_cli):
    _, printed = start_cli("--fault-rate", "1", "--fault-kinds", "503")
    response = requests.get(printed["base URL"] + "/api/v2/groups", auth=AUTH, timeout=5)
    assert response.status_code == 503


def test_cli_enforces_the_rate_limit_asked_for(start_cli):
    _, printed = start_cli("--rate-limit", "1")
    url = printed["base URL"] + "/api/v2/groups"
    codes = [requests.get(url, auth=AUTH, timeout=5).status_code for _ in range(2)]
    assert codes == [200, 429]


# -- argument parsing ------------------------------------------------------------------------


def test_fault_flags_build_a_fault_plan():
    args = parse_args(
        ["--fault-rate", "0.1", "--fault-kinds", "502,500", "--fault-seed", "4",
         "--fault-paths", "/api/v2/incremental/", "--fault-max-consecutive", "3",
         "--fault-slow-seconds", "0.5"]
    )  # fmt: skip
    assert args.faults == FaultPlan(
        rate=0.1,
        kinds=("500", "502"),
        seed=4,
        paths=("/api/v2/incremental/",),
        max_consecutive=3,
        slow_seconds=0.5,
    )


def test_no_fault_rate_means_no_fault_plan():
    assert parse_args([]).faults is None


def test_unknown_fault_kind_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--fault-rate", "0.1", "--fault-kinds", "500,418"])
    assert "unknown fault kinds 418" in capsys.readouterr().err


def test_rate_flags_build_rate_limits_with_defaults_for_the_rest():
    args = parse_args(["--rate-limit", "200", "--rate-window", "2"])
    assert args.rate_limits == RateLimits(requests_per_window=200, window_seconds=2.0)


def test_no_rate_flags_mean_no_rate_limits():
    assert parse_args([]).rate_limits is None
