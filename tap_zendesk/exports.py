"""One read of an incremental export per run, feeding every selected stream that wants it.

Several streams come from one export: `tickets` and `ticket_metrics` (the `metric_sets` sideload)
from the tickets export, `users` and `user_identities` from the users export, `ticket_audits`,
`ticket_comments` and `ticket_field_history` from the ticket-events export. Zendesk allows 10
export requests a minute, so the export is read once per run, whatever the selection:

- The first of those streams the SDK syncs (whichever it is) walks the export. For every page it
  derives the records of each selected stream of the export (`ExportStream.derive`), emits its
  own and spools the others' to a temporary file, with the page's resume point.
- Each later stream of the export replays its spool page by page, checkpointing the same resume
  points in its own state. No stream writes another's state, and nothing depends on the order
  in which the SDK syncs streams.

Each stream keeps its own position in the export (`export_position`, epoch seconds). The walk
starts where the least advanced selected stream stands and each stream drops what lies before
its own position, so a stream added to a pipeline backfills from `start_date` while the others
emit nothing twice. A crash loses at most the page in progress of each stream: the walker's
state advances after each page it wrote, a replayer's after each page it replayed, and the next
run starts from the least advanced of them.
"""

from __future__ import annotations

import pickle
import tempfile
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True)
class Export:
    """An incremental export endpoint, declared once and shared by the streams it feeds."""

    #: Path under /api/v2.
    path: str
    #: Key of the items list in a page.
    records_key: str
    #: The item field the export is ordered by (epoch seconds or ISO 8601).
    position_field: str


@dataclass
class SpooledPage:
    """One page of a stream's records, waiting for that stream's sync."""

    records: list[dict[str, Any]]
    #: Where a later run resumes once these records are written.
    resume_point: Any
    #: The export position (epoch seconds) these records reach, if any.
    position: int | None


@dataclass
class ExportWalk:
    """The run's one read of one export, and the spools of the streams that did not read it."""

    export: Export
    #: Names of the streams whose records are spooled for a later replay.
    spooled: set[str] = field(default_factory=set)
    #: The stream reading the export this run; None until one starts.
    walker: str | None = None
    #: Why the walk failed, when it did (the later streams fail with the same reason).
    failure: str | None = None
    _files: dict[str, IO[bytes]] = field(default_factory=dict)

    def begin(self, walker: str, others: list[str]) -> None:
        """`walker` reads the export; the records of `others` are spooled for them."""
        self.walker = walker
        self.spooled = set(others)
        # Spools live on disk: the ticket-events export of a large account holds gigabytes.
        self._files = {name: tempfile.TemporaryFile() for name in others}  # noqa: SIM115

    def spool(
        self, pages: dict[str, list[dict[str, Any]]], resume: Any, position: int | None
    ) -> None:
        """Keep one page of records for each spooled stream, after the walker wrote its own."""
        for name, spool in self._files.items():
            # Our own temporary file, read back by this process only: pickle keeps Decimals
            # and costs a fraction of JSON.
            pickle.dump(SpooledPage(pages.get(name, []), resume, position), spool)

    def fail(self, reason: str) -> None:
        """The walk failed; the streams still waiting for it fail with `reason`."""
        self.failure = reason
        self.close()

    def replay(self, name: str) -> Iterator[SpooledPage]:
        """The pages spooled for `name`, in export order; the spool is gone afterwards."""
        spool = self._files.pop(name)
        with spool:
            spool.seek(0)
            while True:
                try:
                    yield pickle.load(spool)  # noqa: S301 - written by this process above
                except EOFError:
                    return

    def close(self) -> None:
        """Drop every spool."""
        for spool in self._files.values():
            spool.close()
        self._files.clear()
