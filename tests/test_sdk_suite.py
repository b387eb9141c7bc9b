"""The SDK's built-in tap tests against a sandbox, with a primary-key test that can fail.

The SDK's generated class needs its config when this module is imported, so the sandbox
for it starts here rather than in a fixture. Its records come from one whole sync: the SDK's
record limit would abort a stream midway through an export other streams share.
"""

from __future__ import annotations

import atexit
from collections import Counter

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_zendesk.sandbox import SandboxAccount, SandboxServer
from tap_zendesk.tap import TapZendesk
from tests.sandbox_config import tap_config
from tests.tap_run import run_sync

# Some 600 generated tests over a whole sync of every stream.
pytestmark = pytest.mark.slow

_SERVER = SandboxServer(SandboxAccount.generate(tickets=300, seed=7)).start()
atexit.register(_SERVER.stop)
_CONFIG = tap_config(_SERVER)

# `parse_env_config=False`: real TAP_ZENDESK_* variables must not leak into these tests.
TestTapZendesk = get_tap_test_class(
    TapZendesk,
    config=_CONFIG,
    parse_env_config=False,
    suite_config=SuiteConfig(max_records_limit=None),
)
# The SDK's primary-key test compares generator objects, which are all distinct: it cannot
# fail (SDK notes §10). `test_primary_keys_are_present_and_unique` below replaces it.
del TestTapZendesk.test_tap_stream_primary_keys
del TestTapZendesk.params["test_tap_stream_primary_keys"]


@pytest.fixture(scope="module")
def all_records():
    return run_sync(_CONFIG)


def stream_names() -> list[str]:
    return [stream.name for stream in TapZendesk(config=_CONFIG).streams.values()]


@pytest.mark.parametrize("stream", stream_names())
def test_primary_keys_are_present_and_unique(all_records, stream) -> None:
    keys = TapZendesk(config=_CONFIG).streams[stream].primary_keys
    records = all_records.records[stream]
    assert records, f"no records for {stream}"
    values = [tuple(record.get(key) for key in keys) for record in records]
    assert all(None not in value for value in values)
    assert [v for v, n in Counter(values).items() if n > 1] == []
