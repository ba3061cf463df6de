"""The whole vignette suite played once against the running bot, shared by the clinical
gates and the dry-run parity test."""

from pathlib import Path
from typing import List

import pytest

from tests.support.summary import show
from tools.evaluate import run_suite


@pytest.fixture(scope="session")
def suite(servers) -> List[Path]:
    return run_suite(servers.rasa_url, servers.token, shown=show)
