"""Simulated patients for the cluster tests: the shared harness's patient (patient_sim.py,
the same one `make eval` plays), each remembering every message the server accepted."""

import importlib.util
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from tests.support.shared import PATIENT_SIM, PUBLIC_VIGNETTES


def _load_sim() -> Any:
    spec = importlib.util.spec_from_file_location("patient_sim", PATIENT_SIM)
    assert spec and spec.loader, f"cannot load {PATIENT_SIM}"
    module = importlib.util.module_from_spec(spec)
    sys.modules["patient_sim"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


sim = _load_sim()
VIGNETTES = sim.load_vignettes(PUBLIC_VIGNETTES)


@dataclass
class Outcome:
    """What must be the same whether a patient is played alone or among many."""

    triage: Optional[str]
    causes: Tuple[str, ...]
    dermatomes: Tuple[str, ...]
    topics: Tuple[Optional[str], ...]


class Client(sim.BotClient):  # type: ignore[misc, name-defined]
    """The harness's REST client, which records each message the server took in (a 2xx
    answer) and sends a message again after an answer in `retry` (503...) as a patient would
    (and reads the tracker again after a 5xx)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        retry: Tuple[str, ...] = (),
        on_turn: Optional[Callable[[str, int], None]] = None,
    ):
        super().__init__(base_url, token, timeout=150)
        self.retry = retry  # e.g. ("HTTP 503",): send again after such an answer
        self.on_turn = on_turn
        self.accepted: Dict[str, List[str]] = {}
        self.retries = 0
        self.lock = threading.Lock()

    def _retrying(self, call: Callable[[], Any], statuses: Tuple[str, ...]) -> Any:
        deadline = time.time() + 120
        while True:
            try:
                return call()
            except sim.BotError as exc:
                if not (statuses and str(exc).startswith(statuses) and time.time() < deadline):
                    raise
                with self.lock:
                    self.retries += 1
                time.sleep(1)

    def send(self, sender: str, message: str) -> List[Dict[str, Any]]:
        """The message, sent again with the same id when its answer was lost, as the
        widget's and apps' REST clients should (rasa_ext/resends.py)."""
        with self.lock:
            message_id = f"{len(self.accepted.get(sender, []))}-{secrets.token_hex(4)}"
        body = {"sender": sender, "message": message, "message_id": message_id}
        url = self.base_url + "/webhooks/rest/webhook"

        def post() -> List[Dict[str, Any]]:
            reply = sim.request_json("POST", url, body, self.timeout)
            if reply is None:
                return []
            if not isinstance(reply, list):
                raise sim.BotError("the REST webhook did not reply with a list of messages")
            return [m for m in reply if isinstance(m, dict)]

        reply = self._retrying(post, self.retry)
        with self.lock:
            self.accepted.setdefault(sender, []).append(message)
            turns = len(self.accepted[sender])
        if self.on_turn:
            self.on_turn(sender, turns)
        return reply

    def tracker(self, sender: str) -> Dict[str, Any]:
        # While a store is down the tracker API fails too (5xx): a patient's app would wait.
        return self._retrying(
            lambda: super(Client, self).tracker(sender), ("HTTP 5",) if self.retry else ()
        )


@dataclass
class Played:
    vignette_id: str
    sender: str
    outcome: Outcome
    error: Optional[str] = None
    transcript: List[str] = field(default_factory=list)


def play(client: Client, vignette: Any, max_turns: int = 25) -> Played:
    convo = sim.run_conversation(client, vignette, max_turns)
    assessment = convo.assessment or {}
    outcome = Outcome(
        triage=assessment.get("triage"),
        causes=tuple(sim.cause_ids(assessment)[:3]),
        dermatomes=tuple(sorted(sim.string_list(assessment, "dermatomes"))),
        topics=tuple(q.topic for q in convo.questions),
    )
    return Played(vignette.id, convo.sender, outcome, convo.error, convo.transcript)


def play_many(client: Client, vignettes: List[Any]) -> List[Played]:
    """Every vignette as its own patient, all at the same time (one thread each)."""
    results: List[Optional[Played]] = [None] * len(vignettes)

    def run(index: int) -> None:
        try:
            results[index] = play(client, vignettes[index])
        except Exception as exc:  # noqa: BLE001 - reported by the test as an incomplete patient
            results[index] = Played(
                vignettes[index].id, "?", Outcome(None, (), (), ()), error=repr(exc)
            )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(vignettes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return [r for r in results if r is not None]
