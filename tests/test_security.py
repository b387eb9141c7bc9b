"""Credentials stay with Zendesk; error messages are redacted; TLS follows the environment."""

from __future__ import annotations

import json

import pytest
import requests

from tap_zendesk.auth import ForeignHostError, build_authenticator
from tap_zendesk.connection import ZendeskConnection
from tests.sandbox_config import tap_config
from tests.stub_server import stub_server
from tests.tap_run import run_sync
from tests.tls import localhost_context

CONFIG = {"subdomain": "acme", "email": "me@example.com", "api_token": "tok-abcdef0123456789"}
JSON = {"Content-Type": "application/json"}


def test_credentials_are_refused_for_an_attachment_host() -> None:
    auth = build_authenticator(CONFIG, "https://acme.zendesk.com")
    request = requests.Request(
        "GET", "https://acme.zdusercontent.com/attachments/token/abc/?name=x.png"
    ).prepare()
    with pytest.raises(ForeignHostError, match="refusing to send Zendesk credentials to acme"):
        auth(request)
    assert "Authorization" not in request.headers


def test_credentials_are_added_for_the_zendesk_host() -> None:
    auth = build_authenticator(CONFIG, "https://acme.zendesk.com")
    request = requests.Request("GET", "https://acme.zendesk.com/api/v2/groups.json").prepare()
    assert auth(request).headers["Authorization"].startswith("Basic ")


@pytest.mark.slow
def test_a_sync_never_requests_attachment_urls(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=200, seed=17)
    result = run_sync(tap_config(server))
    attachments = [a for c in result.records["ticket_comments"] for a in c.get("attachments") or []]
    assert attachments  # the data has attachments, on another host
    assert all(r.path.startswith("/api/v2/") for r in server.requests)


def test_a_next_link_to_another_host_fails_before_sending_credentials(caplog) -> None:
    def respond(path: str, headers: dict[str, str]):
        page = {
            "groups": [{"id": 1, "updated_at": "2024-01-01T00:00:00Z"}],
            "meta": {"has_more": True, "after_cursor": "x"},
            "links": {"next": "http://127.0.0.2:9/api/v2/groups.json?page[after]=x"},
        }
        return 200, JSON, json.dumps(page).encode()

    with stub_server(respond) as (url, log), pytest.raises(SystemExit):
        run_sync({**CONFIG, "api_url": url}, streams={"groups"})
    assert len(log) == 1
    assert "refusing to send Zendesk credentials to 127.0.0.2:9" in caplog.text


def test_error_messages_carry_no_response_body_or_query(caplog) -> None:
    body = b'{"error":"InternalServerError","customer":"jane.doe@example.com"}'

    def respond(path: str, headers: dict[str, str]):
        return 500, JSON, body

    with stub_server(respond) as (url, log), pytest.raises(SystemExit):
        run_sync({**CONFIG, "api_url": url, "max_retries": 1}, streams={"tickets"})
    assert len(log) == 2  # the first try and one retry
    assert "500 Internal Server Error for /api/v2/incremental/tickets/cursor.json" in caplog.text
    assert "(InternalServerError)" in caplog.text
    assert "jane.doe@example.com" not in caplog.text
    assert "start_time=" not in caplog.text


def test_retries_are_capped_by_max_retries(caplog) -> None:
    def respond(path: str, headers: dict[str, str]):
        return 503, {"Retry-After": "0", **JSON}, b'{"error":"ServiceUnavailable"}'

    with stub_server(respond) as (url, log), pytest.raises(SystemExit):
        run_sync({**CONFIG, "api_url": url, "max_retries": 3}, streams={"groups"})
    assert len(log) == 4
    assert "Sync of 'groups' failed: 503 Service Unavailable for /api/v2/groups.json" in (
        caplog.text
    )


def test_tls_verification_is_on_by_default(monkeypatch) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    assert ZendeskConnection(CONFIG).session.verify is True


def test_tls_verification_honours_requests_ca_bundle(monkeypatch, tmp_path) -> None:
    bundle = tmp_path / "corporate-ca.pem"
    bundle.write_text("not used by this test")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert ZendeskConnection(CONFIG).session.verify == str(bundle)


@pytest.fixture
def https_sandbox(zendesk_sandbox_factory, tmp_path):
    """A sandbox over HTTPS with a self-signed certificate for localhost."""
    context, cert = localhost_context(tmp_path)
    return zendesk_sandbox_factory(tickets=50, seed=18, tls=context), cert


def test_https_with_a_private_ca_works_through_requests_ca_bundle(https_sandbox, monkeypatch):
    server, cert = https_sandbox
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))

    result = run_sync(tap_config(server), streams={"groups"})

    assert server.url.startswith("https://localhost:")
    assert len(result.ids("groups")) == 25


def test_https_with_an_unknown_ca_fails_at_once_and_clearly(https_sandbox, monkeypatch, caplog):
    server, _ = https_sandbox
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(SystemExit):
        run_sync(tap_config(server), streams={"groups"})

    assert "the TLS certificate of https://localhost:" in caplog.text
    assert "Retrying" not in caplog.text  # a certificate does not get better with retries
    assert server.requests == []
