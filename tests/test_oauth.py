"""OAuth against the sandbox's token endpoint: client credentials, rotation, expiry."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from tap_zendesk.auth import EXPIRY_MARGIN, ZendeskOAuthAuthenticator
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync


def every_ticket(server) -> set[int]:
    return {t["id"] for t in server.account.expected("tickets")}


def test_client_credentials_get_a_token_and_sync(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=150, seed=41)

    result = run_sync(tap_config(server, "client_credentials"), streams={"tickets"})

    assert set(result.ids("tickets")) == every_ticket(server)
    assert server.oauth_counts() == {"client_credentials": 1}


def test_static_access_token_syncs(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=150, seed=41)
    result = run_sync(tap_config(server, "access_token"), streams={"tickets"})
    assert set(result.ids("tickets")) == every_ticket(server)
    assert server.oauth_counts() == {}


@pytest.mark.slow
def test_token_expiring_in_the_middle_of_a_sync_is_renewed(zendesk_sandbox_factory) -> None:
    server = zendesk_sandbox_factory(tickets=3000, seed=42)
    handled = []

    def expire_after_three(request, next_):
        if request.path.startswith("/api/v2/"):
            handled.append(request.path)
            if len(handled) == 3:
                server.expire_access_tokens()
        return next_(request)

    server.middlewares.insert(0, expire_after_three)

    result = run_sync(tap_config(server, "client_credentials"), streams={"tickets", "users"})

    assert set(result.ids("tickets")) == every_ticket(server)
    assert [r.status for r in server.requests].count(401) == 1
    assert server.oauth_counts() == {"client_credentials": 2}


@pytest.mark.slow
def test_refresh_token_rotation_survives_across_runs(zendesk_sandbox_factory, tmp_path) -> None:
    server = zendesk_sandbox_factory(tickets=150, seed=43)
    token_file = tmp_path / "zendesk-oauth.json"
    config = tap_config(server, "refresh_token", oauth_token_file=str(token_file))
    first_refresh_token = config["refresh_token"]

    run_sync(config, streams={"groups"})
    saved = json.loads(token_file.read_text())
    assert saved["refresh_token"] == server.current_refresh_token != first_refresh_token
    assert token_file.stat().st_mode & 0o777 == 0o600

    server.expire_access_tokens()  # the next run must refresh, with the rotated token
    second = run_sync(config, streams={"groups"})  # the config still holds the first token

    assert len(second.ids("groups")) == 25
    assert server.oauth_counts() == {"refresh_token": 2}
    assert json.loads(token_file.read_text())["refresh_token"] == server.current_refresh_token


def test_saved_access_token_is_reused_without_a_refresh(zendesk_sandbox_factory, tmp_path):
    server = zendesk_sandbox_factory(tickets=100, seed=44)
    config = tap_config(server, "refresh_token", oauth_token_file=str(tmp_path / "t.json"))

    run_sync(config, streams={"groups"})
    run_sync(config, streams={"groups"})

    assert server.oauth_counts() == {"refresh_token": 1}


def test_a_used_refresh_token_without_its_token_file_fails_clearly(
    zendesk_sandbox_factory, tmp_path, caplog
) -> None:
    server = zendesk_sandbox_factory(tickets=100, seed=45)
    config = tap_config(server, "refresh_token", oauth_token_file=str(tmp_path / "a.json"))
    run_sync(config, streams={"groups"})  # rotates the configured refresh token away
    lost = {**config, "oauth_token_file": str(tmp_path / "lost.json")}

    with pytest.raises(SystemExit):
        run_sync(lost, streams={"groups"})

    assert "Zendesk refused the OAuth grant (400 Bad Request for /oauth/tokens" in caplog.text
    assert "authorize again" in caplog.text
    for secret in (config["refresh_token"], config["client_secret"]):
        assert secret not in caplog.text


def test_token_is_renewed_before_it_expires() -> None:
    auth = ZendeskOAuthAuthenticator(
        token_url="https://acme.zendesk.com/oauth/tokens", client_id="c", client_secret="s"
    )
    auth.access_token = "token"
    auth.last_refreshed = datetime.fromtimestamp(time.time(), tz=UTC)
    auth.expires_in = EXPIRY_MARGIN + 30
    assert auth.is_token_valid()
    auth.expires_in = EXPIRY_MARGIN - 1
    assert not auth.is_token_valid()
