"""Shared fixtures: the real servers, started once per test session."""
from typing import Dict, Iterator

import pytest

from tests.support.servers import Servers, start_servers


@pytest.fixture(scope="session")
def channel_env() -> Iterator[Dict[str, str]]:
    """Extra environment for the servers (messaging channels pointed at local fakes)."""
    yield {}


@pytest.fixture(scope="session")
def servers(channel_env: Dict[str, str]) -> Iterator[Servers]:
    running = start_servers(channel_env)
    yield running
    running.stop()
