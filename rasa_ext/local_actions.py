"""The interview's per-message actions, run inside the Rasa process.

Every message of the interview calls three custom actions: the slot extraction
(action_extract_findings), the form's validation (validate_symptom_form, or the diary
check-in's validate_diary_form) and the next question (action_ask_<slot>). Over HTTP each
call encodes the whole tracker, crosses to the action server and back, and is decoded
twice: together about a fifth of the CPU a message costs, and three round trips of latency
(py-spy, README "Performance"). These actions are pure functions of the tracker
(actions/slot_filling.py, actions/questions.py, actions/diary.py: the engine computes the
turn; a reminder is an event they return), so they run here, through rasa_sdk's own
ActionExecutor, on a copy of what would have been sent: the same code, the same answers,
the same errors. Rasa Pro 3.8+ offers the same in-process execution (`actions_module`);
Rasa 3.6 does not.

IN_PROCESS_ACTIONS: `interview` (the default: these actions), `all` (every custom action:
no action server is needed), or `off` (all of them on the action server). The other actions
(the assessment, the diary, reminders, knowledge answers) stay on the action server, which
`make run` and `make cluster` start as before and which scales on its own.
"""

import os
from functools import lru_cache
from typing import Any, Dict, Optional

import ujson
from rasa.utils.endpoints import ClientResponseError

from knowledge.contract import (
    ASK_ACTION_PREFIX,
    DIARY_VALIDATE_ACTION,
    EXTRACT_ACTION,
    VALIDATE_ACTION,
)

SETTING = "IN_PROCESS_ACTIONS"
CHOICES = ("interview", "all", "off")
INTERVIEW_ACTIONS = frozenset({EXTRACT_ACTION, VALIDATE_ACTION, DIARY_VALIDATE_ACTION})


def mode(env: Optional[Dict[str, str]] = None) -> str:
    value = (os.environ if env is None else env).get(SETTING, "interview").strip().lower()
    if value not in CHOICES:
        raise ValueError(f"{SETTING} must be one of {', '.join(CHOICES)}, not {value!r}")
    return value


def runs_here(action_name: Any, how: str) -> bool:
    if how == "all":
        return isinstance(action_name, str)
    if how == "interview":
        return action_name in INTERVIEW_ACTIONS or (
            isinstance(action_name, str) and action_name.startswith(ASK_ACTION_PREFIX)
        )
    return False


@lru_cache(maxsize=1)
def _executor() -> Any:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def _copy(value: Any) -> Any:
    """What the other side of the HTTP call would have had: plain JSON, nothing shared."""
    return ujson.loads(ujson.dumps(value, ensure_ascii=False))


async def run(call: Dict[str, Any]) -> Any:
    """The action server's answer to this call, computed here (rasa_sdk/endpoint.py's
    webhook: a rejection is its 400, an unknown action its 404)."""
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    try:
        result = await _executor().run(_copy(call))
    except (ActionExecutionRejection, ActionNotFoundException) as problem:
        status = 400 if isinstance(problem, ActionExecutionRejection) else 404
        body = {"error": problem.message, "action_name": problem.action_name}
        raise ClientResponseError(
            status, "action rejected", ujson.dumps(body).encode()
        ) from problem
    return _copy(result)
