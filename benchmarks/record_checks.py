"""Did each sync emit what the sandbox holds? Keyed by each stream's declared primary keys.

Streams the sandbox has no expectation for (`SandboxAccount.expected` / `ChangeSet.keys` answer
ValueError) are listed as unchecked, not failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sync_run import key_of

if TYPE_CHECKING:
    from sync_run import TapRun

    from tap_zendesk.sandbox import ChangeSet, SandboxAccount


@dataclass
class CheckResult:
    """Problems found, and streams the sandbox could not check."""

    problems: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)


def expected_keys(
    account: SandboxAccount, primary_keys: dict[str, tuple[str, ...]]
) -> dict[str, set[Any] | None]:
    """Per stream, the keys a full sync must emit now (None: the sandbox does not know it)."""
    expected: dict[str, set[Any] | None] = {}
    for stream, keys in primary_keys.items():
        try:
            records = account.expected(stream)
        except ValueError:
            expected[stream] = None
            continue
        expected[stream] = {key_of(keys, r) for r in records}
    return expected


def check_full(run: TapRun, expected: dict[str, set[Any] | None]) -> CheckResult:
    """Every record the sandbox holds exactly once, and none it does not hold."""
    result = CheckResult()
    for stream, keys in expected.items():
        if keys is None:
            result.unchecked.append(stream)
            continue
        emitted = run.keys.get(stream, [])
        distinct = set(emitted)
        if missing := len(keys - distinct):
            result.problems.append(f"{stream}: {missing:,} of {len(keys):,} records not emitted")
        if extra := len(distinct - keys):
            result.problems.append(f"{stream}: {extra:,} records the sandbox does not hold")
        if duplicates := len(emitted) - len(distinct):
            result.problems.append(f"{stream}: {duplicates:,} duplicates")
    return result


def check_incremental(run: TapRun, changes: ChangeSet, streams: list[str]) -> CheckResult:
    """Every record the change batch created or changed emitted."""
    result = CheckResult()
    for stream in streams:
        try:
            changed = changes.keys(stream)
        except ValueError:
            result.unchecked.append(stream)
            continue
        if missing := len(changed - set(run.keys.get(stream, []))):
            result.problems.append(
                f"{stream}: {missing:,} of {len(changed):,} changed records not emitted"
            )
    return result
