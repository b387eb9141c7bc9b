"""Satisfaction ratings stay fresh whichever timestamp Zendesk's `start_time` compares."""

from __future__ import annotations

import math

import pytest

from tests.expected import as_json, expected_records
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync


@pytest.mark.slow
@pytest.mark.parametrize("time_field", ["updated_at", "created_at"])
def test_answered_offers_are_emitted_after_every_incremental_run(
    zendesk_sandbox_factory, time_field
) -> None:
    server = zendesk_sandbox_factory(tickets=1500, seed=44)
    server.api.rating_time_field = time_field
    config = tap_config(server)
    first = run_sync(config, streams={"satisfaction_ratings"})
    changes = server.account.mutate(seed=6, fraction=0.05)  # answers offered ratings, adds new
    server.reset_request_log()

    second = run_sync(config, state=first.state, streams={"satisfaction_ratings"})

    changed = changes.keys("satisfaction_ratings")
    assert changed
    assert set(second.ids("satisfaction_ratings")) == changed
    current = expected_records(server.account, "satisfaction_ratings")
    for rating in second.records["satisfaction_ratings"]:
        assert as_json(rating) == current[rating["id"]]
    # At most one full read of the list.
    assert len(server.requests) <= max(1, math.ceil(len(current) / 100))
