"""A real cluster for the tests: PostgreSQL, Redis, two Rasa replicas, one action server,
HAProxy and the web page, all on free ports, started in this process by tools/cluster.py
(so a test can kill a replica or restart a store) and stopped at the end."""

import secrets
import shutil
from typing import Dict, Iterator, List

import psycopg2
import pytest

from tests.cluster.patients import VIGNETTES, Client, Outcome, play
from tests.support.servers import ROOT, free_port
from tools.cluster import Cluster, cluster_settings

# Five different patients, played alone once, then many times over at the same time.
PLAYED_VIGNETTES = VIGNETTES[:5]


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    state = ROOT / ".state" / f"cluster-test-{secrets.token_hex(4)}"
    ports = {
        name: str(free_port())
        for name in ("RASA_PORT", "ACTION_PORT", "WEB_PORT", "POSTGRES_PORT", "REDIS_PORT")
    }
    env = cluster_settings(
        {
            **ports,
            "CLUSTER_STATE": str(state),
            "RASA_AUTH_TOKEN": secrets.token_hex(12),
            "REPLICA_PORTS": f"{free_port()},{free_port()}",
            "ACTION_PORTS": str(free_port()),
            "LOAD_BALANCER_BIND": "127.0.0.1",
            "TRACKER_STORE_URL": "",
            "LOCK_STORE_URL": "",  # this cluster's own stores
            # Every simulated patient comes from 127.0.0.1: one address, many patients.
            "RATE_LIMIT_PER_ADDRESS": "off",
        }
    )
    running = Cluster(env).start()
    yield running
    running.stop()
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def lb_url(cluster: Cluster) -> str:
    return f"http://127.0.0.1:{cluster.env['RASA_PORT']}"


@pytest.fixture(scope="session")
def token(cluster: Cluster) -> str:
    return cluster.env["RASA_AUTH_TOKEN"]


@pytest.fixture(scope="session")
def alone(lb_url: str, token: str) -> Dict[str, Outcome]:
    """Each vignette's outcome when it is the only patient."""
    client = Client(lb_url, token)
    outcomes = {}
    for vignette in PLAYED_VIGNETTES:
        played = play(client, vignette)
        assert played.outcome.triage, f"{vignette.id} did not complete alone: {played.error}"
        outcomes[vignette.id] = played.outcome
    return outcomes


def user_messages(cluster: Cluster, senders: List[str]) -> Dict[str, List[str]]:
    """The user messages PostgreSQL holds for each sender, in the order they were saved."""
    assert cluster.postgres is not None
    conn = psycopg2.connect(cluster.postgres.url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT sender_id, data::json->>'text' FROM events "
                "WHERE type_name = 'user' AND sender_id = ANY(%s) ORDER BY id",
                (senders,),
            )
            found: Dict[str, List[str]] = {sender: [] for sender in senders}
            for sender, text in cur.fetchall():
                found[sender].append(text)
            return found
    finally:
        conn.close()
