"""The cluster for real (issue 12): simulated patients through HAProxy onto two Rasa replicas
sharing PostgreSQL and Redis. The tests run in this order; the last one kills a replica."""

import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import requests
import socketio

from tests.cluster.conftest import PLAYED_VIGNETTES, user_messages
from tests.cluster.patients import Client, Outcome, Played, play, play_many

PATIENTS_AT_ONCE = 50
PATIENTS_WHEN_KILLED = 20


def check_all(played: List[Played], alone: Dict[str, Outcome], client: Client, cluster) -> None:
    """Every patient completed with the outcome it has alone, and PostgreSQL holds exactly
    the messages each one sent, in order, in its own tracker (none lost, doubled or mixed)."""
    incomplete = [(p.vignette_id, p.error) for p in played if not p.outcome.triage]
    assert not incomplete, f"patients who did not complete: {incomplete}"
    different = [
        (p.vignette_id, p.outcome, alone[p.vignette_id], p.transcript[-12:])
        for p in played
        if p.outcome != alone[p.vignette_id]
    ]
    assert not different, f"outcomes that differ from the patient played alone: {different[:2]}"
    senders = [p.sender for p in played]
    assert len(set(senders)) == len(senders)
    stored = user_messages(cluster, senders)
    for sender in senders:
        assert stored[sender] == client.accepted[sender], f"{sender}: stored turns differ"


def test_fifty_patients_at_once_through_the_load_balancer(cluster, lb_url, token, alone):
    client = Client(lb_url, token)
    vignettes = list(itertools.islice(itertools.cycle(PLAYED_VIGNETTES), PATIENTS_AT_ONCE))
    played = play_many(client, vignettes)
    assert len(played) == PATIENTS_AT_ONCE
    check_all(played, alone, client, cluster)


def test_one_patient_alternating_between_the_replicas_is_one_conversation(cluster, token, alone):
    ports = list(cluster.replica_ports.values())
    turn = itertools.count()

    class Alternating(Client):
        def send(self, sender, message):  # each message to the next replica's own port
            self.base_url = f"http://127.0.0.1:{ports[next(turn) % len(ports)]}"
            return super().send(sender, message)

    client = Alternating(f"http://127.0.0.1:{ports[0]}", token)
    vignette = PLAYED_VIGNETTES[0]
    played = play(client, vignette)
    assert played.outcome == alone[vignette.id]
    assert user_messages(cluster, [played.sender])[played.sender] == client.accepted[played.sender]


def test_two_messages_at_once_on_two_replicas_are_processed_one_after_the_other(cluster, token):
    """The Redis lock: both turns complete whole, never interleaved or overwritten."""
    sender = "cluster-lock-test"
    urls = [
        f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in cluster.replica_ports.values()
    ]
    requests.post(urls[0], json={"sender": sender, "message": "hi"}, timeout=60).raise_for_status()
    texts = ["what is sciatica?", "what is a dermatome?"]
    with ThreadPoolExecutor(2) as pool:
        replies = list(
            pool.map(
                lambda pair: requests.post(
                    pair[0], json={"sender": sender, "message": pair[1]}, timeout=120
                ),
                zip(urls, texts, strict=True),
            )
        )
    assert all(r.status_code == 200 and r.json() for r in replies)
    events = requests.get(
        f"{urls[0].split('/webhooks')[0]}/conversations/{sender}/tracker",
        params={"token": token},
        timeout=30,
    ).json()["events"]
    users = [e.get("text") for e in events if e["event"] == "user"]
    assert users[0] == "hi" and sorted(users[1:]) == sorted(texts)
    # Each turn ends (action_listen) before the next user message starts.
    kinds = [
        e["event"] if e["event"] == "user" else e.get("name")
        for e in events
        if e["event"] == "user" or e.get("name") == "action_listen"
    ]
    assert kinds[-6:] == ["user", "action_listen"] * 3, kinds


def test_socketio_stays_on_the_replica_that_opened_the_session(lb_url):
    """Polling requests on fresh connections, round-robin otherwise: all reach the session's
    replica (HAProxy's stick table on the engine.io sid); and a real socket.io client talks."""
    handshake = requests.get(
        f"{lb_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10
    )
    sid = json.loads(handshake.text[1:])["sid"]  # engine.io: "0" + JSON
    statuses = []
    for _ in range(6):
        with requests.Session() as fresh:  # a new TCP connection each time
            statuses.append(
                fresh.post(
                    f"{lb_url}/socket.io/",
                    data="40",
                    timeout=10,
                    params={"EIO": "4", "transport": "polling", "sid": sid},
                ).status_code
            )
    assert statuses == [200] * 6
    said: List[dict] = []
    answered = threading.Event()
    sio = socketio.Client(reconnection=False)
    sio.on("bot_uttered", lambda data: (said.append(data), answered.set()))
    sio.connect(lb_url, transports=["polling"], socketio_path="/socket.io/")
    try:
        sio.emit("session_request", {"session_id": "cluster-socketio-test"})
        sio.emit("user_uttered", {"message": "hi", "session_id": "cluster-socketio-test"})
        assert answered.wait(60), "no bot_uttered through the load balancer"
    finally:
        sio.disconnect()
    assert said[0].get("text")


def test_postgresql_restarted_mid_run_the_replicas_recover_by_themselves(
    cluster, lb_url, token, alone
):
    pids = {name: cluster.procs[name].pid for name in cluster.replica_ports}
    restarted = threading.Event()

    def restart_once(sender: str, turns: int) -> None:
        if turns == 3 and not restarted.is_set():
            restarted.set()
            threading.Thread(target=restart_postgres, args=(cluster,)).start()

    client = Client(lb_url, token, retry=("HTTP 503",), on_turn=restart_once)
    played = play_many(client, PLAYED_VIGNETTES[:4])
    assert restarted.is_set()
    check_all(played, alone, client, cluster)
    assert {name: cluster.procs[name].pid for name in cluster.replica_ports} == pids
    assert all(cluster.procs[name].poll() is None for name in pids), "a replica died"


def restart_postgres(cluster) -> None:
    cluster.postgres.stop()
    time.sleep(2)
    cluster.postgres.start()
    cluster.postgres.wait_ready()


def test_redis_stopped_gives_a_clear_503_and_works_again_when_it_is_back(cluster, lb_url):
    url = f"{lb_url}/webhooks/rest/webhook"
    sender = "cluster-redis-test"
    assert requests.post(url, json={"sender": sender, "message": "hi"}, timeout=60).json()
    cluster.redis.stop()
    try:
        started = time.time()
        reply = requests.post(
            url, json={"sender": sender, "message": "what is sciatica?"}, timeout=60
        )
        assert time.time() - started < 15, "a stopped lock store must not hang the request"
        assert reply.status_code == 503
        assert reply.json()["error"] == "store_unavailable"
        assert reply.headers["Retry-After"].isdigit()
    finally:
        cluster.redis.start()
        cluster.redis.wait_ready()
    again = requests.post(url, json={"sender": sender, "message": "what is sciatica?"}, timeout=60)
    assert again.status_code == 200 and again.json()
    assert user_messages(cluster, [sender])[sender] == ["hi", "what is sciatica?"]


def test_kill_9_one_replica_mid_interview_every_patient_completes(cluster, lb_url, token, alone):
    victim = next(iter(cluster.replica_ports))
    killed = threading.Event()
    mid_interview: Dict[str, int] = {}
    lock = threading.Lock()

    def kill_when_all_are_talking(sender: str, turns: int) -> None:
        with lock:
            mid_interview[sender] = turns
            ready = len(mid_interview) >= PATIENTS_WHEN_KILLED and not killed.is_set()
            if ready:
                killed.set()
        if ready:
            cluster.procs[victim].kill()  # SIGKILL, while the others' requests are in flight

    # HAProxy sends a request the dead replica dropped to the other one; but HAProxy 2.6 does
    # not retry those of clients that ask to close the connection (urllib, like this one), so
    # for them the client sends it again after the 502, as the widget or a webhook would.
    client = Client(lb_url, token, retry=("HTTP 502",), on_turn=kill_when_all_are_talking)
    vignettes = list(itertools.islice(itertools.cycle(PLAYED_VIGNETTES), PATIENTS_WHEN_KILLED))
    played = play_many(client, vignettes)
    assert killed.is_set() and cluster.procs[victim].poll() is not None
    check_all(played, alone, client, cluster)
