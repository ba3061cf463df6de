"""Reports that tests want shown at the end of the run (the pytest terminal summary), such
as the simulated patients' scores and the per-slot precision and recall."""

from typing import List, Tuple

SECTIONS: List[Tuple[str, str]] = []


def show(title: str, text: str) -> None:
    SECTIONS.append((title, text))
