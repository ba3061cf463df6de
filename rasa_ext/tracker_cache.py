"""The trackers of recent conversations kept in memory, so a turn does not read back and
replay every event of its session from the database first.

Rasa's SQL tracker store rebuilds the tracker at every message: it reads all events of the
session, parses each one and replays them, a cost that grows with the conversation (a tenth
of the Rasa process's CPU per message in a 15-message interview, a quarter by the 150th
message: README "Performance"). Here the tracker saved at the end of a turn is kept, with
the number of its events and the id of the last stored row. It is used again only if the
database's last row for that conversation is still that one (one indexed query), so another
replica's turn, an erasure, the retention job or a turn that failed half-way (its tracker
holds events that were never saved) all make the next turn read the database as before.

The tracker object itself is handed out, not a copy: Rasa processes one conversation's
turns one at a time (the lock store), and a copy would cost as much as the replay. The
retention job forgets conversations from its own thread, hence the lock.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional

from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_SIZE = 256


@dataclass
class Kept:
    tracker: DialogueStateTracker
    events: int  # len(tracker.events) when it was saved
    last_row: int  # the id of the conversation's last stored event then


class TrackerCache:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, tracker: DialogueStateTracker, last_row: Optional[int]) -> None:
        if self.size <= 0 or last_row is None:
            return
        with self._lock:
            self._kept[tracker.sender_id] = Kept(tracker, len(tracker.events), last_row)
            self._kept.move_to_end(tracker.sender_id)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def stored_events(self, tracker: DialogueStateTracker, last_row: Optional[int]) -> int:
        """How many of `tracker`'s events are stored already, if this cache knows (else -1)."""
        kept = self._kept.get(tracker.sender_id)
        if kept is None or kept.tracker is not tracker or kept.last_row != last_row:
            return -1
        return kept.events

    def get(self, sender_id: str, last_row: Optional[int]) -> Optional[DialogueStateTracker]:
        """The kept tracker, if the database still ends where it ended and the tracker has
        not changed since (a failed turn leaves unsaved events in it)."""
        with self._lock:
            kept = self._kept.get(sender_id)
            if kept is None:
                return None
            if kept.last_row != last_row or len(kept.tracker.events) != kept.events:
                del self._kept[sender_id]
                return None
            self._kept.move_to_end(sender_id)
            return kept.tracker

    def forget(self, sender_id: str) -> None:
        with self._lock:
            self._kept.pop(sender_id, None)
