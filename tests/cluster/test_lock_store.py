"""The conversation lock on a real Redis (rasa_ext/lock_store.py): two stores stand for two
replicas. One dies holding a patient's ticket; the other's request gets its turn even when
its event loop was busy past both tickets' lifetimes, and turns from both never overlap."""

import asyncio
import time
from typing import Iterator, List

import pytest
from rasa.utils.endpoints import EndpointConfig

from rasa_ext.lock_store import LiveRedisLockStore
from tests.support.servers import ROOT, free_port
from tools.cluster_services import Redis
from tools.store_urls import lock_store_keys

LIFETIME_S = 0.4


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    server = Redis(ROOT / ".state" / "lock-store-test", free_port())
    server.start()
    try:
        server.wait_ready()
        yield server.url
    finally:
        server.stop()


def replica(redis_url: str) -> LiveRedisLockStore:
    keys = lock_store_keys(redis_url)
    return LiveRedisLockStore(EndpointConfig.from_dict(keys))


def test_a_dead_replicas_ticket_expires_and_a_live_one_never_does(redis_url):
    dead, live = replica(redis_url), replica(redis_url)
    dead.issue_ticket("patient-a", LIFETIME_S)

    async def request() -> None:
        async with live.lock("patient-a", lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.1):
            pass

    async def busy_then_wait() -> None:
        waiting = asyncio.ensure_future(request())
        await asyncio.sleep(0.05)
        time.sleep(2.5 * LIFETIME_S)
        await asyncio.wait_for(waiting, 3 * LIFETIME_S)

    asyncio.run(busy_then_wait())
    assert live.get_lock("patient-a") is None


def test_turns_sent_to_two_replicas_at_once_never_overlap(redis_url):
    stores = [replica(redis_url), replica(redis_url)]
    log: List[str] = []

    async def turn(index: int) -> None:
        store = stores[index % 2]
        async with store.lock("patient-b", lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.02):
            log.append("start")
            await asyncio.sleep(0.05)
            log.append("end")

    async def many() -> None:
        await asyncio.gather(*(turn(i) for i in range(8)))

    asyncio.run(many())
    assert log == ["start", "end"] * 8
