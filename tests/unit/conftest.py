"""Findings for unit tests, built the way the action server builds them: from slots."""

from typing import Any

import pytest

from engine.findings import Findings, findings_from_slots
from knowledge import Knowledge, knowledge


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return knowledge()


def findings(**slots: Any) -> Findings:
    return findings_from_slots(slots)
