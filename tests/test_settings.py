"""Config checks: subdomain forms, credentials, dates and api_url."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tap_zendesk.settings import check_config, normalise_subdomain

TOKEN = {"email": "me@example.com", "api_token": "s3cr3t-api-token-value"}
NO_CREDENTIALS = (
    "no credentials: set email and api_token, access_token, client_id and client_secret, "
    "or client_id, refresh_token and oauth_token_file"
)


@pytest.mark.parametrize(
    "given",
    ["acme", "ACME", "acme.zendesk.com", "https://acme.zendesk.com/", " acme.zendesk.com/ "],
)
def test_subdomain_forms_normalise_to_the_label(given: str) -> None:
    assert normalise_subdomain(given) == "acme"


@pytest.mark.parametrize("given", ["acme/x", "me@acme", "ac me", "-acme", "acme.example.com", ""])
def test_subdomain_that_is_not_a_dns_label_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="is not a Zendesk subdomain"):
        normalise_subdomain(given)


def test_check_config_normalises_subdomain_in_place() -> None:
    config = {"subdomain": "https://acme.zendesk.com/", **TOKEN}
    assert check_config(config) == []
    assert config["subdomain"] == "acme"


def test_api_token_and_access_token_together_are_refused() -> None:
    errors = check_config({"subdomain": "acme", **TOKEN, "access_token": "a-token"})
    assert errors == [
        "credentials for API token and OAuth access token are all set: keep exactly one"
    ]


def test_no_credentials_are_refused() -> None:
    assert check_config({"subdomain": "acme"}) == [NO_CREDENTIALS]


def test_incomplete_api_token_credentials_name_what_is_missing() -> None:
    assert check_config({"subdomain": "acme", "email": "me@example.com"}) == [
        "incomplete credentials: API token is missing api_token"
    ]


@pytest.mark.parametrize(
    "credentials",
    [
        {"access_token": "a-token"},
        {"client_id": "c", "client_secret": "s"},
        {"client_id": "c", "refresh_token": "r", "oauth_token_file": "/tmp/t.json"},
        {"client_id": "c", "client_secret": "s", "refresh_token": "r", "oauth_token_file": "t"},
    ],
)
def test_each_complete_oauth_method_is_accepted(credentials: dict[str, str]) -> None:
    assert check_config({"subdomain": "acme", **credentials}) == []


def test_refresh_token_without_token_file_is_refused() -> None:
    errors = check_config({"subdomain": "acme", "client_id": "c", "refresh_token": "r"})
    assert errors == ["incomplete credentials: OAuth refresh token is missing oauth_token_file"]


def test_client_id_alone_is_incomplete() -> None:
    assert check_config({"subdomain": "acme", "client_id": "c"}) == [
        "incomplete credentials: OAuth needs client_secret or refresh_token"
    ]


def test_unparsable_start_date_is_refused() -> None:
    errors = check_config({"subdomain": "acme", **TOKEN, "start_date": "last tuesday"})
    assert errors == ["start_date 'last tuesday' is not an ISO 8601 date or date-time"]


def test_end_date_before_start_date_is_refused() -> None:
    errors = check_config(
        {"subdomain": "acme", **TOKEN, "start_date": "2025-01-02", "end_date": "2025-01-01"}
    )
    assert errors == ["end_date must be later than start_date"]


@pytest.mark.parametrize("url", ["http://proxy.example.com", "ftp://localhost"])
def test_api_url_must_be_https_unless_local(url: str) -> None:
    errors = check_config({"subdomain": "acme", **TOKEN, "api_url": url})
    assert len(errors) == 1
    assert errors[0].startswith(f"api_url {url!r}")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/", "http://localhost:9", "https://zd.example"]
)
def test_api_url_https_or_localhost_is_accepted(url: str) -> None:
    config = {"subdomain": "acme", **TOKEN, "api_url": url}
    assert check_config(config) == []
    assert not config["api_url"].endswith("/")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"subdomain": "a/b", **TOKEN}, "subdomain 'a/b' is not a Zendesk subdomain"),
        ({"subdomain": "acme"}, NO_CREDENTIALS),
        (
            {"subdomain": "acme", **TOKEN, "access_token": "x"},
            "credentials for API token and OAuth access token are all set",
        ),
    ],
)
def test_cli_exits_non_zero_with_the_error_and_no_secret(tmp_path, config, expected) -> None:
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    result = subprocess.run(
        [sys.executable, "-m", "tap_zendesk.tap", "--config", str(config_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert expected in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert TOKEN["api_token"] not in result.stderr


@pytest.mark.parametrize(
    ("names", "error"),
    [
        (
            {"abc": "product"},
            "ticket_field_names: key 'abc' is not a ticket field id (digits only)",
        ),
        ({"1": "product", "2": "product"}, "ticket_field_names: product named twice"),
        ({"1": ""}, "ticket_field_names: every name must be a non-empty string"),
        ({"1": "2"}, "ticket_field_names: 2 would clash with a field id"),
    ],
)
def test_ticket_field_names_are_checked(names, error) -> None:
    assert check_config({"subdomain": "acme", **TOKEN, "ticket_field_names": names}) == [error]


def test_good_ticket_field_names_pass() -> None:
    assert (
        check_config({"subdomain": "acme", **TOKEN, "ticket_field_names": {"12": "product"}}) == []
    )
