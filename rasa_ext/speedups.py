"""Pieces of per-message work Rasa 3.6 repeats needlessly, done once instead.

Found by profiling the running server (py-spy, README "Performance"):
- Every action-server reply is checked with `jsonschema.validate`, which first validates the
  fixed response *schema* against the JSON-Schema meta-schema, every time: about a quarter of
  the Rasa process's CPU per message. The schema is checked once here, and the same
  validator is reused; a bad reply is still refused with the same error.
- Every stored event read back from the tracker store looks its class up by walking all the
  subclasses of Event (with `inspect.isabstract` on each), once per event: the cost grows
  with the length of the conversation. The name -> class answers are remembered.

- Every call to the action server opens a new connection: rasa_ext/action_client.py keeps
  them open.

All keep Rasa's behaviour; `install()` is idempotent. The tracker store installs them (every
Rasa server of this project loads it at start).
"""

from functools import lru_cache
from typing import Any, Dict, Optional, Text, Type

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

from rasa_ext import action_client

_original_resolve = Event.resolve_by_type  # a staticmethod
_installed = False


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    from jsonschema.exceptions import best_match

    error = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your "
        "response from the Action endpoint is valid."
    )
    raise error


_event_classes: Dict[Text, Type[Event]] = {}


def _resolve_by_type(
    type_name: Text, default: Optional[Type[Event]] = None
) -> Optional[Type[Event]]:
    found = _event_classes.get(type_name)
    if found is not None:
        return found
    resolved = _original_resolve(type_name, default)
    if resolved is not None and resolved is not default:
        _event_classes[type_name] = resolved
    return resolved


def install() -> None:
    global _installed
    if _installed:
        return
    RemoteAction._validate_action_result = _validate_action_result
    action_client.install()
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    _installed = True
