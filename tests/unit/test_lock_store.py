"""The conversation lock (rasa_ext/lock_store.py): a live request's ticket never expires, a
dead process's does. In memory here; tests/cluster/test_lock_store.py runs the same on Redis."""

import asyncio
import time

from rasa.core.lock_store import InMemoryLockStore, LockStore

from rasa_ext.lock_store import LiveInMemoryLockStore

LIFETIME_S = 0.4


async def _acquired_after_busy_loop(store: LockStore) -> bool:
    """A dead process's ticket, then a live request waiting behind it while the event loop
    is busy for longer than both lifetimes: does the live request ever get its turn?"""
    store.issue_ticket("patient", LIFETIME_S)  # its process died mid-turn

    async def live_request() -> None:
        async with store.lock("patient", lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.1):
            pass

    waiting = asyncio.ensure_future(live_request())
    await asyncio.sleep(0.05)
    time.sleep(2.5 * LIFETIME_S)  # other patients' turns hold the loop
    try:
        await asyncio.wait_for(waiting, 3 * LIFETIME_S)
        return True
    except asyncio.TimeoutError:
        return False


def test_rasas_own_lock_store_hangs_when_the_waiting_ticket_expired():
    # Why the subclass exists: if Rasa ever fixes this, the subclass can go.
    assert not asyncio.run(_acquired_after_busy_loop(InMemoryLockStore()))


def test_a_live_request_gets_its_turn_after_a_busy_loop():
    store = LiveInMemoryLockStore()
    assert asyncio.run(_acquired_after_busy_loop(store))
    assert store.get_lock("patient") is None, "the lock is left behind"


def test_turns_of_one_conversation_run_one_at_a_time_in_order():
    store = LiveInMemoryLockStore()
    log = []

    async def turn(name: str) -> None:
        async with store.lock("patient", lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.05):
            log.append(f"{name} starts")
            await asyncio.sleep(0.3 * LIFETIME_S)
            log.append(f"{name} ends")

    async def three_turns() -> None:
        await asyncio.gather(turn("first"), turn("second"), turn("third"))

    asyncio.run(three_turns())
    assert log == [f"{n} {e}" for n in ("first", "second", "third") for e in ("starts", "ends")]


def test_a_turn_longer_than_the_lifetime_keeps_its_lock():
    store = LiveInMemoryLockStore()
    log = []

    async def turn(name: str, seconds: float) -> None:
        async with store.lock("patient", lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.05):
            log.append(f"{name} starts")
            await asyncio.sleep(seconds)
            log.append(f"{name} ends")

    async def long_then_short() -> None:
        first = asyncio.ensure_future(turn("long", 2.5 * LIFETIME_S))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, turn("short", 0))

    asyncio.run(long_then_short())
    assert log == ["long starts", "long ends", "short starts", "short ends"]
