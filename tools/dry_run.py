#!/usr/bin/env python3
"""Play vignettes against the engine and language layer directly, without Rasa.

A fast loop for tuning the knowledge base: the same turn the bot computes (engine.turn, with
the wording layer's questions), the shared harness's own patient answers and scoring. It
imports nothing from Rasa. The real measure is patient_sim against the running bot; the
parity test checks both agree.

    .venv/bin/python tools/dry_run.py ../shared/vignettes/public.yml tests/vignettes/*.yml [-v]
"""

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.findings import findings_from_slots  # noqa: E402
from engine.questions import question  # noqa: E402
from engine.turn import take_turn  # noqa: E402
from knowledge import knowledge  # noqa: E402
from language.extract import extractor  # noqa: E402
from wording.assessment import assessment_payload  # noqa: E402
from wording.interview import notice_text, question_text  # noqa: E402

MAX_TURNS = 25


def load_patient_sim():
    shared = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
    path = shared / "tools" / "patient_sim.py"
    spec = importlib.util.spec_from_file_location("patient_sim", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"the shared harness is not at {path} (set SHARED_DIR)")
    module = importlib.util.module_from_spec(spec)
    sys.modules["patient_sim"] = module
    spec.loader.exec_module(module)
    return module


def play(sim, vignette, verbose: bool) -> Any:
    """One vignette, turn by turn through engine.turn, as the bot plays it."""
    kb, ex = knowledge(), extractor()
    convo = sim.Conversation(vignette_id=vignette.id, sender="dry")
    slots: Dict[str, Any] = {}
    text = vignette.opening
    while True:
        convo.turns += 1
        convo.note(f"USER: {text}")
        turn = take_turn(ex.entities(text), slots, kb)
        slots = turn.slots
        for notice in turn.steering.notices:
            said = notice_text(notice, kb)
            if said:
                convo.note(f"BOT:  {said}")
        asked = turn.steering.next_slot
        if asked is None or convo.turns >= MAX_TURNS:
            break
        question_said, _ = question_text(question(asked, slots, kb), kb)
        convo.note(f"BOT:  {question_said}")
        asked_now = sim.identify_question([{"text": question_said}], slots)
        asked_now.answer = sim.answer_for(asked_now.topic, vignette.answers, asked_now.also)
        convo.questions.append(asked_now)
        text = asked_now.answer
    convo.assessment = assessment_payload(findings_from_slots(slots), kb)
    if verbose:
        shown = {k: v for k, v in slots.items() if v not in (None, [])}
        print("\n".join(convo.transcript), "\n", shown)
        print("  triage:", convo.assessment["triage"], convo.assessment["triage_reasons"])
    scores = sim.score(vignette.expect, convo.assessment)
    # As patient_sim's own evaluate(): flags never given, advice that mixes levels.
    scores.unsupported_flags = sim.unsupported_flags(vignette, convo.assessment)
    scores.mixed_advice = sim.mixed_advice(convo.assessment)
    return sim.Result(vignette=vignette, conversation=convo, scores=scores)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--only")
    args = parser.parse_args()
    sim = load_patient_sim()
    results: List[Any] = []
    for path in args.files:
        for vignette in sim.load_vignettes(path):
            if args.only and vignette.id not in args.only.split(","):
                continue
            results.append(play(sim, vignette, args.verbose))
    print(sim.format_table(results))
    print(sim.format_summary(sim.summarise(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
