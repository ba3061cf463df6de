"""Rasa's per-conversation ticket lock, with the tickets of live requests kept alive.

Rasa 3.6 gives every ticket a lifetime (TICKET_LOCK_LIFETIME) so that the ticket of a process
that died mid-turn stops blocking its conversation. But a waiting request removes expired
tickets, its own included: when the event loop is busy for longer than the gap between the
dead ticket's expiry and its own (a replica taking over twenty patients after another one was
killed), its ticket goes, nobody is ever "now serving" it, and the request waits forever (the
load balancer's 504). Lifetimes are meant for dead processes, so here a live request renews
its own ticket while it waits and while its turn runs, and puts it back in its place if it
was dropped meanwhile (also if another replica's save overwrote it). Only a dead process's
ticket expires.

Redis changes are optimistic transactions (WATCH), so two replicas changing one
conversation's lock at the same moment cannot overwrite each other's tickets.
"""

import asyncio
import json
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, List, Optional, TypeVar

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")
Change = Callable[[TicketLock], Result]
RENEWALS_PER_LIFETIME = 4


def keep_ticket(lock: TicketLock, number: int, lifetime: float) -> None:
    """`number`'s ticket expires `lifetime` from now; back in its place if it was dropped."""
    expires = time.time() + lifetime
    for ticket in lock.tickets:
        if ticket.number == number:
            ticket.expires = expires
            return
    lock.tickets.append(Ticket(number, expires))
    lock.tickets = type(lock.tickets)(sorted(lock.tickets, key=lambda t: t.number))


class LiveTickets(LockStore):
    """The lock of LockStore, with each request renewing its own ticket (see module doc).
    Every change reads, changes and saves one conversation's lock at once (`change`); a lock
    left without tickets is deleted in the same step."""

    def change(self, conversation_id: str, change: Change[Result]) -> Result:
        lock = self.get_or_create_lock(conversation_id)
        result = change(lock)
        if lock.tickets:
            self.save_lock(lock)
        else:
            self.delete_lock(conversation_id)
        return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self.change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def served(self, conversation_id: str, ticket: int, lifetime: float) -> bool:
        """Renews `ticket`, drops the expired ones (a dead process's): is it this one's turn?"""

        def renew(lock: TicketLock) -> bool:
            keep_ticket(lock, ticket, lifetime)
            lock.remove_expired_tickets()
            return not lock.is_locked(ticket)

        return self.change(conversation_id, renew)

    async def _keep_renewing(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        while True:
            await asyncio.sleep(lifetime / RENEWALS_PER_LIFETIME)
            self.served(conversation_id, ticket, lifetime)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[None, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        renewing = asyncio.ensure_future(
            self._keep_renewing(conversation_id, ticket, lock_lifetime)
        )
        try:
            while not self.served(conversation_id, ticket, lock_lifetime):
                await asyncio.sleep(wait_time_in_seconds)
            yield
        finally:
            renewing.cancel()
            self.cleanup(conversation_id, ticket)


class LiveInMemoryLockStore(LiveTickets, InMemoryLockStore):
    """One process (make run): the event loop makes each change atomic."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        InMemoryLockStore.__init__(self)


class LiveRedisLockStore(LiveTickets, RedisLockStore):
    """Several replicas (make cluster): endpoints.yml's lock_store keys are RedisLockStore's."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        RedisLockStore.__init__(self, host=endpoint_config.url, **endpoint_config.kwargs)

    def change(self, conversation_id: str, change: Change[Result]) -> Result:
        key = self.key_prefix + conversation_id
        outcome: List[Result] = []

        def transaction(pipe: Any) -> None:
            stored = pipe.get(key)
            lock = (
                TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
            )
            outcome[:] = [change(lock)]
            pipe.multi()
            if lock.tickets:
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)

        self.red.transaction(transaction, key)
        return outcome[0]
