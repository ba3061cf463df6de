"""The report's words (knowledge/data/report_en.yml), loaded once and checked for the keys the
code uses, so a missing sentence is a clear error at start-up, not a KeyError mid-request."""

import functools
from pathlib import Path
from typing import Any, Dict

import yaml

WORDS_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "report_en.yml"
REQUIRED = (
    "title",
    "made_on",
    "sections",
    "fields",
    "answers",
    "duration",
    "because",
    "why_urgency",
    "map_caption",
    "no_map",
    "notice_title",
    "print_button",
    "download_pdf",
    "open_page",
    "link_note",
    "telegram_caption",
    "whatsapp_body",
    "errors",
    "diary",
)


@functools.lru_cache(maxsize=1)
def words() -> Dict[str, Any]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")) or {}
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ValueError(f"{WORDS_FILE.name}: missing {', '.join(missing)}")
    return data
