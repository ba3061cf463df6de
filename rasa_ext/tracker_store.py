"""Rasa's SQL tracker store (SQLite or PostgreSQL) with the patient's two privacy controls.

- Erasure: when a turn ends with the confirmed "delete my data" (the bot uttered
  ERASED_RESPONSE, see data/rules/privacy.yml), every stored event of that conversation is
  deleted instead of the turn being saved. On SQLite, `PRAGMA secure_delete` overwrites the
  deleted rows, so the file keeps none of the patient's words in its free pages.
- Speed: the tracker of a recent conversation is kept in memory between its turns
  (rasa_ext/tracker_cache.py; TRACKER_CACHE_SIZE conversations, default 256, "off" turns it
  off), and SQLite connections are pooled instead of opened for every query; a long session
  starts afresh (rasa_ext/session_rollover.py, SESSION_ROLLOVER_EVENTS), and a turn that
  started a session is not kept, so that the next one reads only the new session.
- Retention: a periodic job inside the Rasa server process deletes every conversation idle for
  longer than RETENTION_DAYS (default 30; fractions allowed; "off" disables it), every
  RETENTION_INTERVAL_S seconds (default 3600). It logs counts only, never a sender id.

Configured in endpoints.yml as `tracker_store: type: rasa_ext.tracker_store.PrivateSQLTrackerStore`
with Rasa's own SQLTrackerStore keys (dialect, url, port, db, username, password, query).
"""

import asyncio
import itertools
import logging
import os
import time
from typing import Any, Iterator, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import session_rollover, speedups
from rasa_ext.tracker_cache import DEFAULT_SIZE, TrackerCache

# Every Rasa server of this project loads this module at start.
speedups.install()
session_rollover.install()

ERASED_RESPONSE = "utter_conversation_erased"
DEFAULT_RETENTION_DAYS = 30.0
DEFAULT_INTERVAL_S = 3600.0
DISABLED = {"off", "none", "never"}

logger = logging.getLogger(__name__)
if logger.level == logging.NOTSET:
    logger.setLevel(logging.INFO)  # counts only: safe to show by default


def erasure_confirmed(tracker: DialogueStateTracker) -> bool:
    """Did the bot confirm erasing the conversation in the turn being saved?"""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASED_RESPONSE:
            return True
    return False


def _number(name: str, default: float) -> Optional[float]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() in DISABLED:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ValueError(
            f"{name} must be a positive number of "
            f"{'days' if 'DAYS' in name else 'seconds'} or 'off', not {raw!r}"
        )
    return value


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retention_days = _number("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
        self.retention_interval_s = (
            _number("RETENTION_INTERVAL_S", DEFAULT_INTERVAL_S) or DEFAULT_INTERVAL_S
        )
        rasa_engine: Any = getattr(self, "engine")  # noqa: B009 - Rasa leaves it untyped
        if rasa_engine.dialect.name == "sqlite":
            # Rasa's engine opens a new SQLite connection (and runs the pragmas) per query.
            rasa_engine.dispose()
            self.engine = pooled_sqlite(rasa_engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.cache = TrackerCache(int(_number("TRACKER_CACHE_SIZE", DEFAULT_SIZE) or 0))
        self._vacuum_due = False
        self._retention_job: Optional[asyncio.Task[None]] = None
        self._start_retention_job()

    # --- erasure ---------------------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        self._start_retention_job()
        if erasure_confirmed(tracker):
            self.erase(tracker.sender_id)
            return
        await super().save(tracker)
        self.cache.forget(tracker.sender_id)
        if session_rollover.holds_earlier_session(tracker):
            return  # read only the new session next time
        try:
            last_row = self._last_row(tracker.sender_id)
        except sa.exc.SQLAlchemyError:
            # The turn is saved: a store that fails just after must not turn it into an
            # error (the patient would send it again, and it would be stored twice).
            return
        self.cache.keep(tracker, last_row)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        self._start_retention_job()
        last_row = self._last_row(sender_id)
        tracker = self.cache.get(sender_id, last_row)
        if tracker is None:
            tracker = await super().retrieve(sender_id)
            if tracker is not None:
                self.cache.keep(tracker, last_row)
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events to store: after those the cache knows are stored, else Rasa's way
        (counting the session's stored events)."""
        stored = self.cache.stored_events(tracker, self._last_row(tracker.sender_id, session))
        if stored < 0:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _last_row(self, sender_id: str, session: Any = None) -> Optional[int]:
        """The id of the conversation's last stored event (None: nothing stored)."""
        query = sa.select([sa.func.max(self.SQLEvent.id)]).where(
            self.SQLEvent.sender_id == sender_id
        )
        if session is not None:
            return session.execute(query).scalar()
        with self.session_scope() as own:
            return own.execute(query).scalar()

    def erase(self, sender_id: str) -> int:
        """Delete every event of one conversation; the number of events deleted."""
        self.cache.forget(sender_id)
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        self._vacuum_due = True
        self._checkpoint()
        logger.info(
            "Erasure: a conversation was deleted at the patient's request (%d events).", deleted
        )
        return deleted

    # --- retention -------------------------------------------------------------------------
    def delete_idle(self, now: Optional[float] = None) -> int:
        """Delete the conversations whose latest event is older than the retention period;
        the number of conversations deleted."""
        if self.retention_days is None:
            return 0
        cutoff = (now if now is not None else time.time()) - self.retention_days * 86400
        events = self.SQLEvent.__table__
        idle = (
            sa.select([events.c.sender_id])
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with self.session_scope() as session:
            senders = [row[0] for row in session.execute(idle)]
            for sender in senders:
                self.cache.forget(sender)
            for start in range(0, len(senders), 500):
                session.execute(
                    events.delete().where(events.c.sender_id.in_(senders[start : start + 500]))
                )
            session.commit()
        if senders:
            self._vacuum_due = True
            self._checkpoint()
            logger.info(
                "Retention: deleted %d conversation(s) idle for more than %g days.",
                len(senders),
                self.retention_days,
            )
        self._vacuum_if_due()
        return len(senders)

    def _checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the file and empty it, so deleted words do
        not linger in the -wal file either."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            logger.warning("Erasure: the SQLite log could not be emptied yet (busy).")

    def _vacuum_if_due(self) -> None:
        """PostgreSQL keeps deleted rows as dead tuples until a vacuum (SQLite overwrites
        them at once with secure_delete)."""
        if not self._vacuum_due or self.engine.dialect.name != "postgresql":
            self._vacuum_due = False
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f"VACUUM {self.SQLEvent.__tablename__}"))
        self._vacuum_due = False

    def _start_retention_job(self) -> None:
        """Started with the server's event loop (the store is created while the server
        starts), else at the first use of the store."""
        if self._retention_job is not None or self.retention_days is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._retention_job = loop.create_task(self._retention_loop())

    async def _retention_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                await loop.run_in_executor(None, self.delete_idle)
            except Exception as error:  # a database hiccup must not stop the job
                logger.error(
                    "Retention: the clean-up failed (%s); retrying later.", type(error).__name__
                )
            await asyncio.sleep(self.retention_interval_s)


def pooled_sqlite(url: Any) -> Any:
    """An engine keeping its SQLite connections open (used by one thread at a time: the
    event loop, or the retention job's thread)."""
    engine = sa.create_engine(
        url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
    )
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, record: Any) -> None:  # noqa: ARG001
    """secure_delete: deleted rows are overwritten, not left in free pages. WAL with
    synchronous=NORMAL: a turn's commit no longer waits for an fsync (Rasa saves in the
    server's event loop, so that wait held up every other patient); a power cut may lose the
    last turns, never corrupt the file."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
