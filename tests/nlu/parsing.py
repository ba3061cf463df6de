"""Labelled items parsed by the running model (HTTP /model/parse), for the NLU tests."""

from pathlib import Path
from typing import Any, Dict, List, Tuple

import requests
import yaml

from tests.support.servers import Servers


def parse_items(servers: Servers, path: Path) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """(the items of a labelled file, each item's text -> the model's parse)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    session = requests.Session()
    results = {}
    for item in items:
        reply = session.post(
            f"{servers.rasa_url}/model/parse",
            params={"token": servers.token},
            json={"text": item["text"]},
            timeout=30,
        )
        reply.raise_for_status()
        results[item["text"]] = reply.json()
    return items, results
