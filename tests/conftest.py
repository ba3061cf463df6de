"""Shared fixtures: the real servers, started once per test session."""

from typing import Dict, Iterator

import pytest

from tests.support import summary
from tests.support.servers import Servers, start_servers


def pytest_terminal_summary(terminalreporter):
    for title, text in summary.SECTIONS:
        terminalreporter.write_sep("=", title)
        terminalreporter.write_line(text)


@pytest.fixture(scope="session")
def channel_env() -> Iterator[Dict[str, str]]:
    """Extra environment for the servers: the Telegram and WhatsApp (Twilio) channels of
    credentials.yml, pointed at local fakes of their APIs that record every call
    (tests/fakes; tests/channels reads them through its `fakes` fixture)."""
    from tests.fakes import start_fakes

    fakes = start_fakes()
    yield fakes.env
    fakes.stop()


@pytest.fixture(scope="session")
def servers(channel_env: Dict[str, str]) -> Iterator[Servers]:
    running = start_servers(channel_env)
    yield running
    running.stop()
