"""Timings and row counts of the e2e tests, for pytest's terminal summary."""

from __future__ import annotations


class E2EReport:
    """Timings and checked row counts, printed in pytest's terminal summary."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []
        self.tests: dict[str, float] = {}
        self.counts: list[tuple[str, dict[str, int]]] = []

    def timing(self, label: str, seconds: float) -> None:
        """Record how long one step (a `meltano` command, a server start) took."""
        self.timings.append((label, seconds))
        print(f"[e2e] {seconds:.1f}s {label}")

    def rows(self, label: str, counts: dict[str, int]) -> None:
        """Record the row counts one check compared."""
        self.counts.append((label, dict(counts)))
        print(f"[e2e] rows {label}: {counts}")

    def lines(self) -> list[str]:
        """The summary, one line per entry."""
        lines = [f"{seconds:6.1f}s  {label}" for label, seconds in self.timings]
        lines += [f"{seconds:6.1f}s  {name}" for name, seconds in self.tests.items()]
        for label, counts in self.counts:
            listed = ", ".join(f"{stream}={count}" for stream, count in counts.items())
            lines.append(f"rows  {label}: {listed} (total {sum(counts.values())})")
        return lines
