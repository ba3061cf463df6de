"""The Rasa server with this project's bounds on its input:

    python -m rasa_ext.server [run] <the arguments of `rasa run`>

This is `rasa run` itself (Rasa's own command line, `rasa.cli.run` -> `rasa.api.run` ->
`rasa.core.run.serve_application`), so every Rasa behaviour stays: the channels of
credentials.yml, the HTTP API and its token, the endpoints, the model loading. The one
difference: `rasa.core.run.configure_app`, which builds the Sanic app, is wrapped so that
before the app serves

- each input channel hands its messages to rasa_ext.message_bounds (long messages, rate
  limits in every channel), and
- rasa_ext.http_bounds adds Sanic middleware (body size, malformed webhooks, REST rate
  limits, refused browser origins, security headers), and
- rasa_ext.reminders schedules the pain diary's daily reminders again after a restart.

The browser origins allowed are the `--cors` arguments (tools/serve.py writes them from
ALLOWED_ORIGINS); the limits come from the environment (rasa_ext/limits.py).
"""

import functools
import inspect
import logging
import os
import sys
import warnings
from typing import Any, Callable, List, Optional, Sequence

import rasa.core.run

from rasa_ext import action_client, reminders, resends, store_errors
from rasa_ext.http_bounds import HttpBounds
from rasa_ext.limits import Limits, RateLimiter, SettingError
from rasa_ext.message_bounds import MessageBounds

logger = logging.getLogger(__name__)

# Sanic switches DeprecationWarnings back on when it is imported; where the launcher asks for
# quiet (tools/serve.py QUIET), third-party deprecation noise is silenced again after it.
if os.environ.get("QUIET_DEPRECATIONS") == "1":
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category)


def bounded(configure_app: Callable[..., Any], limits: Limits) -> Callable[..., Any]:
    """`configure_app` (Rasa's), with the bounds installed on the app it returns."""
    signature = inspect.signature(configure_app)

    @functools.wraps(configure_app)
    def configure_bounded_app(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        channels = bound.arguments.get("input_channels") or []
        cors = bound.arguments.get("cors")
        origins: List[str] = [cors] if isinstance(cors, str) else list(cors or [])
        per_sender = RateLimiter(limits.per_sender)
        per_address = RateLimiter(limits.per_address)
        app_box: List[Any] = []
        messages = MessageBounds(
            limits, per_sender, per_address, agent=lambda: app_box[0].ctx.agent
        )
        for channel in channels:
            messages.guard(channel)
            store_errors.guard(channel)  # a store down: a clear 503 (rasa_ext/store_errors.py)
        app = configure_app(*bound.args, **bound.kwargs)
        app_box.append(app)
        HttpBounds(limits, origins, per_sender, per_address).install(app)
        store_errors.install(app)
        resends.install(app)  # a message sent again is answered, not taken in twice
        reminders.install(app, channels)  # diary reminders outlive a restart
        app.register_listener(action_client.close_kept_sessions, "after_server_stop")
        logger.info(
            "Input bounds: messages up to %d characters, bodies up to %d bytes, "
            "%s per sender, %s per address; browser origins: %s",
            limits.max_message_chars,
            limits.max_request_bytes,
            _rate(limits.per_sender),
            _rate(limits.per_address),
            ", ".join(origins) or "none",
        )
        return app

    return configure_bounded_app


def _rate(rate: Any) -> str:
    return "no limit" if rate.unlimited else f"{rate.count} per {rate.seconds:g}s"


def install(limits: Optional[Limits] = None) -> None:
    """Wrap Rasa's configure_app (once) with the bounds read from the environment."""
    if getattr(rasa.core.run.configure_app, "__wrapped__", None) is None:
        rasa.core.run.configure_app = bounded(
            rasa.core.run.configure_app, limits or Limits.from_env()
        )


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["run"]:
        args = args[1:]
    try:
        install()
    except SettingError as problem:
        sys.exit(f"rasa_ext.server: {problem}")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "run", *args]
    rasa_main()


if __name__ == "__main__":
    main()
