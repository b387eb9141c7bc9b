"""A server that misbehaves on purpose: nothing leaks, nothing hangs, each failure is one line.

Issue 10 findings 1-3 (redirects, unbounded waits, pagination that does not advance) and
issue 11's fast failure when Zendesk cannot be reached. Runs whose exit code matters go
through the command line in a subprocess; the rest run in-process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tap_zendesk.client import ZendeskStream
from tap_zendesk.ratelimit import RateLimiter
from tests.stub_server import HANG_UP, Drip, stub_server
from tests.tap_run import SyncResult, catalog_selecting, parse_messages, run_sync

if TYPE_CHECKING:
    from pathlib import Path

API_TOKEN = "tok-5f1e2d3c4b5a69788796a5b4c3d2e1f0"
CONFIG = {"subdomain": "acme", "email": "me@example.com", "api_token": API_TOKEN}
CLIENT_SECRET = "sec-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
REFRESH_TOKEN = "ref-99887766554433221100ffeeddccbbaa"
JSON = {"Content-Type": "application/json"}
START = 1704067200  # 2024-01-01T00:00:00Z, the start_date below
DAY = 86400


def group(group_id: int) -> dict[str, Any]:
    return {"id": group_id, "name": f"g{group_id}", "updated_at": "2024-01-02T00:00:00Z"}


def groups_page(*ids: int, next_url: str | None = None) -> bytes:
    body = {
        "groups": [group(i) for i in ids],
        "meta": {"has_more": next_url is not None},
        "links": {"next": next_url},
    }
    return json.dumps(body).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(
    config: dict[str, Any], tmp_path: Path, streams: set[str]
) -> tuple[subprocess.CompletedProcess, SyncResult]:
    """The tap's command line on `config`, for `streams`; its process and its messages."""
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog_selecting(config, streams)))
    process = subprocess.run(
        [
            *(sys.executable, "-m", "tap_zendesk.tap"),
            *("--config", str(tmp_path / "config.json")),
            *("--catalog", str(tmp_path / "catalog.json")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("TAP_ZENDESK_")},
    )
    return process, parse_messages(process.stdout.splitlines())


def last_line(process: subprocess.CompletedProcess) -> str:
    """The run's last line without its log prefix; the run failed, without a traceback."""
    assert process.returncode == 1, process.stderr
    assert "Traceback" not in process.stderr
    last = process.stderr.strip().splitlines()[-1]
    assert "| ERROR" in last, process.stderr
    return last.split(" | ")[-1]


# 1. Redirects


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_an_api_redirect_to_another_host_is_not_followed(status, caplog) -> None:
    with stub_server(lambda path, headers: (200, JSON, groups_page(1)), host="127.0.0.2") as (
        elsewhere,
        elsewhere_log,
    ):
        target = f"{elsewhere}/api/v2/groups.json"
        with (
            stub_server(lambda path, headers: (status, {"Location": target}, b"")) as (url, log),
            pytest.raises(SystemExit) as exit_,
        ):
            run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert exit_.value.code == 1
    assert elsewhere_log == []
    assert len(log) == 1
    assert (
        f"Sync of 'groups' failed: {status} redirect of GET /api/v2/groups.json to "
        f"{elsewhere}, another host than the configured one: not followed"
    ) in caplog.text


def test_an_api_redirect_to_another_host_emits_nothing_and_exits_1(tmp_path) -> None:
    with stub_server(lambda path, headers: (200, JSON, groups_page(1)), host="127.0.0.2") as (
        elsewhere,
        elsewhere_log,
    ):
        moved = {"Location": f"{elsewhere}/api/v2/groups.json"}
        with stub_server(lambda path, headers: (302, moved, b"")) as (url, _):
            process, result = run_cli({**CONFIG, "api_url": url}, tmp_path, {"groups"})

    assert last_line(process).endswith(
        f"302 redirect of GET /api/v2/groups.json to {elsewhere}, another host than the "
        "configured one: not followed"
    )
    assert result.records == {}
    assert elsewhere_log == []
    assert API_TOKEN not in process.stdout + process.stderr


def test_a_redirect_to_a_port_that_is_not_a_number_is_not_followed(caplog) -> None:
    moved = {"Location": "http://127.0.0.1:99999/api/v2/groups.json"}
    with (
        stub_server(lambda path, headers: (302, moved, b"")) as (url, log),
        pytest.raises(SystemExit),
    ):
        run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert len(log) == 1
    assert (
        "Sync of 'groups' failed: 302 redirect of GET /api/v2/groups.json to "
        "http://127.0.0.1:99999, another host than the configured one: not followed"
    ) in caplog.text


def test_a_redirect_within_the_host_is_followed_with_its_credentials() -> None:
    def respond(path: str, headers: dict[str, str]):
        if path.startswith("/api/v2/groups.json"):
            return 301, {"Location": "/api/v2/moved/groups.json"}, b""
        return 200, JSON, groups_page(4)

    with stub_server(respond) as (url, log):
        result = run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert result.ids("groups") == [4]
    assert [r.path for r in log][1] == "/api/v2/moved/groups.json"
    assert log[1].headers["Authorization"] == log[0].headers["Authorization"]


def test_a_redirect_without_a_location_fails_with_one_line(caplog) -> None:
    with (
        stub_server(lambda path, headers: (302, {}, b"")) as (url, log),
        pytest.raises(SystemExit) as exit_,
    ):
        run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert exit_.value.code == 1
    assert len(log) == 1
    assert (
        "Sync of 'groups' failed: 302 Found for /api/v2/groups.json: a redirect without a "
        "usable Location"
    ) in caplog.text


@pytest.mark.parametrize("status", [302, 307, 308])
@pytest.mark.parametrize("grant", ["client_credentials", "refresh_token"])
def test_an_oauth_token_request_redirected_to_another_host_sends_it_nothing(
    tmp_path, status, grant
) -> None:
    token = json.dumps({"access_token": "acc-from-elsewhere", "token_type": "bearer"})
    with stub_server(lambda path, headers: (200, JSON, token.encode()), host="127.0.0.2") as (
        elsewhere,
        elsewhere_log,
    ):
        moved = {"Location": f"{elsewhere}/oauth/tokens"}
        with stub_server(lambda path, headers: (status, moved, b"")) as (url, log):
            config: dict[str, Any] = {"subdomain": "acme", "api_url": url, "client_id": "tap"}
            if grant == "refresh_token":
                config |= {
                    "refresh_token": REFRESH_TOKEN,
                    "oauth_token_file": str(tmp_path / "oauth.json"),
                }
            else:
                config["client_secret"] = CLIENT_SECRET
            process, result = run_cli(config, tmp_path, {"groups"})

    assert last_line(process).endswith(
        f"OAuth token request refused: {status} redirect of POST /oauth/tokens to "
        f"{elsewhere}, another host than the configured one: not followed"
    )
    assert elsewhere_log == []
    assert [(r.method, r.path) for r in log] == [("POST", "/oauth/tokens")]
    assert result.records == {}
    assert not (tmp_path / "oauth.json").exists()
    for secret in (CLIENT_SECRET, REFRESH_TOKEN):
        assert secret not in process.stdout + process.stderr


# 2. Unbounded waits


def test_a_retry_after_beyond_max_retry_after_fails_with_what_zendesk_asked(tmp_path) -> None:
    answer = (429, {"Retry-After": "86400", **JSON}, b'{"error":"TooManyRequests"}')
    with stub_server(lambda path, headers: answer) as (url, log):
        process, result = run_cli({**CONFIG, "api_url": url}, tmp_path, {"groups"})

    assert last_line(process).endswith(
        "Sync of 'groups' failed: 429 Too Many Requests for /api/v2/groups.json "
        "(TooManyRequests): Zendesk asked to retry after 86400 s (Retry-After), more than "
        "max_retry_after (300 s)"
    )
    assert len(log) == 1
    assert result.records == {}


@pytest.mark.slow
def test_a_retry_after_up_to_max_retry_after_is_waited_for(caplog) -> None:
    answers = iter([(503, {"Retry-After": "1"}, b""), (200, JSON, groups_page(2))])
    with stub_server(lambda path, headers: next(answers)) as (url, log):
        result = run_sync({**CONFIG, "api_url": url, "max_retry_after": 1}, streams={"groups"})

    assert result.ids("groups") == [2]
    assert len(log) == 2
    assert "Retrying groups in 1.0 s (attempt 1 failed: 503 Service Unavailable" in caplog.text


@pytest.mark.slow
def test_a_retry_after_that_is_not_a_number_falls_back_to_backoff(caplog) -> None:
    answers = iter([(503, {"Retry-After": "nan"}, b""), (200, JSON, groups_page(2))])
    with stub_server(lambda path, headers: next(answers)) as (url, log):
        result = run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert result.ids("groups") == [2]
    assert len(log) == 2
    assert "(attempt 1 failed: 503 Service Unavailable for /api/v2/groups.json)" in caplog.text


@pytest.mark.slow
def test_a_body_dripped_a_byte_at_a_time_is_cut_off_and_retried(caplog) -> None:
    answers = iter([(200, JSON, Drip(groups_page(3), 0.05)), (200, JSON, groups_page(3))])
    with stub_server(lambda path, headers: next(answers)) as (url, log):
        result = run_sync({**CONFIG, "api_url": url, "request_timeout": 1}, streams={"groups"})

    assert result.ids("groups") == [3]
    assert len(log) == 2
    assert (
        "attempt 1 failed: GET /api/v2/groups.json got no complete answer within 1 s"
    ) in caplog.text


@pytest.mark.slow
def test_headers_dripped_a_byte_at_a_time_are_cut_off_and_retried(caplog) -> None:
    dripping = Drip(groups_page(3), 0.05, head=True)
    answers = iter([(200, JSON, dripping), (200, JSON, groups_page(3))])
    with stub_server(lambda path, headers: next(answers)) as (url, log):
        result = run_sync({**CONFIG, "api_url": url, "request_timeout": 1}, streams={"groups"})

    assert result.ids("groups") == [3]
    assert len(log) == 2
    assert (
        "attempt 1 failed: GET /api/v2/groups.json got no complete answer within 1 s"
    ) in caplog.text


@pytest.mark.slow
def test_a_body_that_keeps_dripping_fails_the_run_with_one_line(tmp_path) -> None:
    answer = (200, JSON, Drip(groups_page(3), 0.05))
    config = {**CONFIG, "request_timeout": 1, "max_retries": 1}
    with stub_server(lambda path, headers: answer) as (url, log):
        process, result = run_cli({**config, "api_url": url}, tmp_path, {"groups"})

    assert last_line(process).endswith(
        "Sync of 'groups' failed: GET /api/v2/groups.json got no complete answer within 1 s"
    )
    assert len(log) == 2
    assert result.records == {}


def test_a_rate_limit_reset_is_never_waited_for_longer_than_the_window() -> None:
    """`ratelimit-reset` and the export bucket's `resets` asking for a day: one minute."""
    clock = [1000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    response = requests.Response()
    response.status_code = 200
    response.headers.update(
        {
            "ratelimit-remaining": "0",
            "ratelimit-reset": "86400",
            "zendesk-ratelimit-incremental-exports": "total=10; remaining=0; resets=86400",
        }
    )
    limiter = RateLimiter(clock=lambda: clock[0], sleep=sleep)
    limiter.observe(response)
    limiter.acquire("https://acme.zendesk.com/api/v2/incremental/users/cursor.json")

    assert waits == [60.0]


def test_no_retry_wait_exceeds_the_60_s_cap(monkeypatch) -> None:
    monkeypatch.setattr("random.uniform", lambda low, high: low)
    least = [ZendeskStream.retry_wait(OSError(), n) for n in range(1, 10)]
    monkeypatch.setattr("random.uniform", lambda low, high: high)
    most = [ZendeskStream.retry_wait(OSError(), n) for n in range(1, 10)]

    assert least == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert most == [0.75, 1.5, 3, 6, 12, 24, 45, 45, 45]


# 3. Pagination that repeats or stalls


def organizations_export(path: str, pages: dict[int, dict[str, Any]]) -> bytes:
    start_time = int(parse_qs(urlsplit(path).query)["start_time"][0])
    return json.dumps(pages[start_time]).encode()


def test_a_time_export_that_stops_advancing_ends_with_one_line(tmp_path) -> None:
    """An empty page whose end_time is its start_time, without end_of_stream, forever."""
    organization = {"id": 9, "name": "o", "updated_at": "2024-01-02T00:00:00Z"}
    pages = {
        START: {
            "organizations": [organization],
            "count": 1,
            "end_time": START + DAY,
            "end_of_stream": False,
        },
        START + DAY: {
            "organizations": [],
            "count": 0,
            "end_time": START + DAY,
            "end_of_stream": False,
        },
    }
    config = {**CONFIG, "start_date": "2024-01-01T00:00:00Z"}
    with stub_server(lambda path, h: (200, JSON, organizations_export(path, pages))) as (url, log):
        process, result = run_cli({**config, "api_url": url}, tmp_path, {"organizations"})

    assert last_line(process).endswith(
        f"Sync of 'organizations' failed: the export does not advance at start_time="
        f"{START + DAY}: Zendesk answered end_time={START + DAY} with 0 items and "
        "end_of_stream false"
    )
    assert len(log) == 2
    assert result.ids("organizations") == [9]
    # The state written so far resumes after the page that was read, and only there.
    assert result.state["bookmarks"]["organizations"]["start_time"] == START + DAY


@pytest.mark.parametrize(
    ("cursors", "repeated"),
    [(["a", "a"], "a"), (["a", "b", "a"], "a")],
    ids=["at once", "later"],
)
def test_a_next_link_that_repeats_ends_with_one_line(cursors, repeated, caplog) -> None:
    base: list[str] = []

    def respond(path: str, headers: dict[str, str]):
        after = parse_qs(urlsplit(path).query).get("page[after]", [None])[0]
        position = 0 if after is None else cursors.index(after) + 1
        next_url = f"{base[0]}/api/v2/groups.json?page[after]={cursors[position]}"
        return 200, JSON, groups_page(position + 1, next_url=next_url)

    with stub_server(respond) as (url, log):
        base.append(url)
        with pytest.raises(SystemExit) as exit_:
            run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert exit_.value.code == 1
    assert len(log) == len(cursors)
    assert (
        f"Sync of 'groups' failed: pagination does not advance: Zendesk sent "
        f"page[after]={repeated} again, a page already read"
    ) in caplog.text
    assert "Loop detected" not in caplog.text


def test_an_export_cursor_that_repeats_ends_with_one_line(tmp_path) -> None:
    user = {"id": 5, "name": "u", "updated_at": "2024-01-02T00:00:00Z"}

    def respond(path: str, headers: dict[str, str]):
        body = {"users": [user], "after_cursor": "c1", "end_of_stream": False}
        return 200, JSON, json.dumps(body).encode()

    with stub_server(respond) as (url, log):
        process, result = run_cli({**CONFIG, "api_url": url}, tmp_path, {"users"})

    assert last_line(process).endswith(
        "Sync of 'users' failed: pagination does not advance: Zendesk sent after_cursor=c1 "
        "again, a page already read"
    )
    assert len(log) == 2
    assert result.state["bookmarks"]["users"]["after_cursor"] == "c1"


# 4. Zendesk cannot be reached at all (issue 11)


def test_a_refused_connection_fails_at_once_without_retries(tmp_path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    process, result = run_cli({**CONFIG, "api_url": url}, tmp_path, {"groups"})

    assert last_line(process).endswith(f"could not reach {url}: connection refused")
    assert "Retrying" not in process.stderr
    assert result.records == {}


def test_an_unknown_host_fails_at_once_without_retries(caplog) -> None:
    with pytest.raises(SystemExit):
        run_sync({**CONFIG, "api_url": "https://no-such-host.invalid"}, streams={"groups"})

    assert (
        "Sync of 'groups' failed: could not reach https://no-such-host.invalid: unknown host"
    ) in caplog.text
    assert "Retrying" not in caplog.text


@pytest.mark.slow
def test_a_connection_dropped_after_zendesk_answered_is_retried(caplog) -> None:
    base: list[str] = []
    calls: list[str] = []

    def respond(path: str, headers: dict[str, str]):
        calls.append(path)
        if len(calls) == 1:
            return 200, JSON, groups_page(1, next_url=f"{base[0]}/api/v2/groups.json?page[after]=x")
        if len(calls) == 2:
            return HANG_UP
        return 200, JSON, groups_page(2)

    with stub_server(respond) as (url, log):
        base.append(url)
        result = run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert result.ids("groups") == [1, 2]
    assert len(log) == 3
    assert "(attempt 1 failed: ConnectionError)" in caplog.text


@pytest.mark.slow
def test_a_connection_dropped_before_any_answer_is_retried(caplog) -> None:
    """The host accepted the connection: it can be reached, so this is a blip."""
    answers = iter([HANG_UP, (200, JSON, groups_page(1))])
    with stub_server(lambda path, headers: next(answers)) as (url, log):
        result = run_sync({**CONFIG, "api_url": url}, streams={"groups"})

    assert result.ids("groups") == [1]
    assert len(log) == 2
    assert "(attempt 1 failed: ConnectionError)" in caplog.text
