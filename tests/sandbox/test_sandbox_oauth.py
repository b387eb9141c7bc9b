"""The OAuth token endpoint and the access tokens it issues."""

from collections import Counter

import pytest
import requests

from tap_zendesk.sandbox import Credentials, SandboxAccount

GROUPS = "/api/v2/groups"
CLIENT = {"client_id": "sandbox-client", "client_secret": "sandbox-client-secret"}
INVALID_TOKEN = {
    "error": "invalid_token",
    "error_description": "The access token provided is expired, revoked, malformed or "
    "invalid for other reasons.",
}
INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": "The provided authorization grant is invalid, expired, or revoked.",
}
INVALID_CLIENT = {"error": "invalid_client", "error_description": "Client authentication failed."}


@pytest.fixture(scope="module")
def account() -> SandboxAccount:
    """A small read-only account shared by this module's servers."""
    return SandboxAccount.generate(tickets=20, seed=1)


@pytest.fixture
def server(zendesk_sandbox_factory, account, manual_clock):
    """A sandbox on the manual clock, issuing tokens that live 600 s."""
    return zendesk_sandbox_factory(account=account, clock=manual_clock, token_lifetime=600)


def grant(server, **params):
    return requests.post(server.url + "/oauth/tokens", data=params, timeout=5)


def client_credentials(server):
    return grant(server, grant_type="client_credentials", **CLIENT)


def refresh(server, token, **client):
    return grant(server, grant_type="refresh_token", refresh_token=token, **(client or CLIENT))


def get_groups(server, token):
    return requests.get(
        server.url + GROUPS, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


# -- client credentials ----------------------------------------------------------------------


def test_client_credentials_grant_issues_an_access_token_only(server):
    response = client_credentials(server)
    body = response.json()
    assert response.status_code == 200
    assert body == {
        "access_token": body["access_token"],
        "token_type": "bearer",
        "scope": "read",
        "expires_in": 600,
    }


def test_token_endpoint_accepts_a_json_body(server):
    response = requests.post(
        server.url + "/oauth/tokens", json={"grant_type": "client_credentials", **CLIENT}, timeout=5
    )
    assert response.status_code == 200


def test_issued_access_token_works_as_bearer(server):
    token = client_credentials(server).json()["access_token"]
    assert get_groups(server, token).status_code == 200


def test_token_lifetime_defaults_to_an_hour(zendesk_sandbox_factory, account):
    assert client_credentials(zendesk_sandbox_factory(account=account)).json()["expires_in"] == 3600


def test_wrong_client_secret_is_an_invalid_client(server):
    response = grant(
        server, grant_type="client_credentials", client_id="sandbox-client", client_secret="x"
    )
    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT


def test_unknown_client_id_is_an_invalid_client(server):
    response = grant(
        server,
        grant_type="client_credentials",
        client_id="someone-else",
        client_secret="sandbox-client-secret",
    )
    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT


def test_client_credentials_without_a_secret_is_an_invalid_client(server):
    response = grant(server, grant_type="client_credentials", client_id="sandbox-client")
    assert response.status_code == 401


def test_custom_credentials_define_the_client(zendesk_sandbox_factory, account):
    server = zendesk_sandbox_factory(
        account=account, credentials=Credentials(client_id="mine", client_secret="s3cret")
    )
    response = grant(
        server, grant_type="client_credentials", client_id="mine", client_secret="s3cret"
    )
    assert response.status_code == 200


# -- refresh tokens --------------------------------------------------------------------------


def test_refresh_grant_issues_a_new_access_and_refresh_token(server):
    response = refresh(server, "sandbox-refresh-token-0")
    body = response.json()
    assert response.status_code == 200
    assert body == {
        "access_token": body["access_token"],
        "token_type": "bearer",
        "scope": "read",
        "expires_in": 600,
        "refresh_token": body["refresh_token"],
        "refresh_token_expires_in": 2_592_000,
    }
    assert body["refresh_token"] != "sandbox-refresh-token-0"
    assert server.current_refresh_token == body["refresh_token"]


def test_used_refresh_token_is_rejected(server):
    refresh(server, "sandbox-refresh-token-0")
    response = refresh(server, "sandbox-refresh-token-0")
    assert response.status_code == 400
    assert response.json() == INVALID_GRANT


def test_rotated_refresh_token_works_once_more(server):
    rotated = refresh(server, "sandbox-refresh-token-0").json()["refresh_token"]
    response = refresh(server, rotated)
    assert response.status_code == 200
    assert get_groups(server, response.json()["access_token"]).status_code == 200


def test_refresh_without_a_client_secret_is_accepted(server):
    response = refresh(server, "sandbox-refresh-token-0", client_id="sandbox-client")
    assert response.status_code == 200


def test_refresh_with_a_wrong_client_secret_is_an_invalid_client(server):
    response = refresh(
        server, "sandbox-refresh-token-0", client_id="sandbox-client", client_secret="x"
    )
    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT


def test_refresh_with_a_bad_client_keeps_the_refresh_token(server):
    refresh(server, "sandbox-refresh-token-0", client_id="someone-else")
    assert server.current_refresh_token == "sandbox-refresh-token-0"


def test_unknown_refresh_token_is_an_invalid_grant(server):
    response = refresh(server, "sandbox-refresh-token-9")
    assert response.status_code == 400
    assert response.json() == INVALID_GRANT


# -- other requests --------------------------------------------------------------------------


def test_unknown_grant_type_is_unsupported(server):
    response = grant(server, grant_type="password", **CLIENT)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_missing_grant_type_is_an_invalid_request(server):
    response = grant(server, **CLIENT)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_token_endpoint_only_answers_post(server):
    response = requests.get(server.url + "/oauth/tokens", timeout=5)
    assert response.status_code == 404


# -- expiry ----------------------------------------------------------------------------------


def test_access_token_expires_by_the_server_clock(server, manual_clock):
    token = client_credentials(server).json()["access_token"]
    manual_clock.advance(599)
    still_valid = get_groups(server, token).status_code
    manual_clock.advance(1)
    response = get_groups(server, token)
    assert (still_valid, response.status_code) == (200, 401)
    assert response.json() == INVALID_TOKEN


def test_expire_access_tokens_expires_every_issued_token_now(server):
    first = client_credentials(server).json()["access_token"]
    second = refresh(server, "sandbox-refresh-token-0").json()["access_token"]
    server.expire_access_tokens()
    assert [get_groups(server, t).status_code for t in (first, second)] == [401, 401]


def test_tokens_issued_after_expire_access_tokens_work(server):
    server.expire_access_tokens()
    token = client_credentials(server).json()["access_token"]
    assert get_groups(server, token).status_code == 200


def test_static_access_token_never_expires(server, manual_clock):
    server.expire_access_tokens()
    manual_clock.advance(10 * 365 * 86_400)
    assert get_groups(server, "sandbox-access-token").status_code == 200


# -- helpers ---------------------------------------------------------------------------------


def test_oauth_counts_count_the_grants_served_by_type(server):
    client_credentials(server)
    rotated = refresh(server, "sandbox-refresh-token-0").json()["refresh_token"]
    refresh(server, rotated)
    refresh(server, rotated)  # rejected: not counted
    assert server.oauth_counts() == Counter({"client_credentials": 1, "refresh_token": 2})


def test_tap_config_for_client_credentials(server):
    assert server.tap_config(auth="client_credentials") == {
        "subdomain": "sandbox",
        "api_url": server.url,
        "start_date": "2000-01-01T00:00:00Z",
        "client_id": "sandbox-client",
        "client_secret": "sandbox-client-secret",
    }


def test_tap_config_for_refresh_token_carries_the_current_refresh_token(server):
    rotated = refresh(server, "sandbox-refresh-token-0").json()["refresh_token"]
    assert server.tap_config(auth="refresh_token") == {
        "subdomain": "sandbox",
        "api_url": server.url,
        "start_date": "2000-01-01T00:00:00Z",
        "client_id": "sandbox-client",
        "client_secret": "sandbox-client-secret",
        "refresh_token": rotated,
    }


def test_tap_config_rejects_an_unknown_auth(server):
    with pytest.raises(ValueError, match="auth must be"):
        server.tap_config(auth="password")
