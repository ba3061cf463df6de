"""Local fakes of the messaging APIs (Telegram Bot API, Twilio Messages API), and the
environment that points the assistant's channels at them (see credentials.yml)."""

import secrets
from dataclasses import dataclass
from typing import Dict, Optional

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio

# What Telegram and Twilio would call: never reached, the tests post to the server directly.
PUBLIC_URL = "https://leg-pain.example.org"


@dataclass
class Fakes:
    telegram: FakeTelegram
    twilio: FakeTwilio
    env: Dict[str, str]

    def stop(self) -> None:
        self.telegram.stop()
        self.twilio.stop()


_running: Optional[Fakes] = None


def start_fakes() -> Fakes:
    """The fakes on free ports. Their credentials are fixed (only the secret token, which
    the server reads from its environment, is random): tools/serve.py renders every run's
    credentials into the same .state/credentials.yml, so two test runs starting at once
    may read each other's."""
    global _running
    telegram = FakeTelegram(
        "1234567890:AAH-fake-telegram-token_for_tests", "leg_pain_test_bot"
    ).start()
    twilio = FakeTwilio(
        "AC" + "0123456789abcdef" * 2, "fedcba9876543210" * 2, "whatsapp:+14155238886"
    ).start()
    env = {
        "TELEGRAM_TOKEN": telegram.token,
        "TELEGRAM_BOT_NAME": telegram.bot["username"],
        "TELEGRAM_WEBHOOK_URL": f"{PUBLIC_URL}/webhooks/telegram/webhook",
        "TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(24),
        "TELEGRAM_API_URL": telegram.url,
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_NUMBER": twilio.number,
        "TWILIO_WEBHOOK_URL": f"{PUBLIC_URL}/webhooks/twilio/webhook",
        "TWILIO_API_URL": twilio.url,
        # The key of the report links the channels send (report/links.py): known to the tests,
        # so that they can make links of their own (expired ones, for a REST conversation).
        "REPORT_SECRET": secrets.token_urlsafe(24),
    }
    _running = Fakes(telegram, twilio, env)
    return _running


def current_fakes() -> Fakes:
    if _running is None:
        raise RuntimeError("the messaging fakes are not running (see channel_env)")
    return _running
