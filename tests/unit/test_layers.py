"""The layering holds: the engine reads no text and imports no language layer, and the dry
run (engine + language + wording) runs without Rasa."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_imports_neither_the_language_layer_nor_rasa():
    for path in sorted((ROOT / "engine").glob("*.py")):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                top = words[1].split(".")[0]
                assert top not in (
                    "language",
                    "wording",
                    "rasa",
                    "rasa_sdk",
                    "actions",
                    "rasa_ext",
                ), f"{path.name}: {line.strip()}"


def test_the_dry_run_and_the_engine_load_no_rasa_module():
    probe = (
        "import sys, importlib.util\n"
        "sys.path.insert(0, 'tools')\n"
        "import dry_run, engine.turn, wording.assessment\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_generated_domain_is_up_to_date():
    result = subprocess.run(
        [sys.executable, "tools/make_domain.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
