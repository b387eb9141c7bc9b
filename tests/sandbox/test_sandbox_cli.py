"""The ``tap-zendesk-sandbox`` command, run as a real process."""

import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

COMMAND = "import sys; from tap_zendesk.sandbox.cli import main; sys.exit(main())"


@pytest.fixture
def cli() -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start the command on a free port; yield the process and the values it printed."""
    process = subprocess.Popen(
        [sys.executable, "-c", COMMAND, "--port", "0", "--tickets", "30", "--api-token", "tok"],
        stdout=subprocess.PIPE,
        text=True,
    )
    printed = {}
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Press Ctrl+C"):
            break
        name, _, value = line.strip().partition(": ")
        printed[name.strip()] = value.strip()
    yield process, printed
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    process.stdout.close()


def test_cli_prints_the_base_url_and_credentials(cli):
    _, printed = cli
    assert printed["base URL"].startswith("http://127.0.0.1:")
    assert (printed["email"], printed["api_token"], printed["access_token"]) == (
        "sandbox@example.com",
        "tok",
        "sandbox-access-token",
    )


def test_cli_serves_until_sigterm(cli):
    process, printed = cli
    response = requests.get(
        printed["base URL"] + "/api/v2/groups", auth=("sandbox@example.com/token", "tok"), timeout=5
    )
    process.send_signal(signal.SIGTERM)
    assert response.status_code == 200
    assert process.wait(timeout=10) == 0
