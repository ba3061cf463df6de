#!/usr/bin/env python3
"""Play vignettes against the engine and language layer directly, without Rasa.

A fast loop for tuning the knowledge base: the same interview logic the action server runs
(slot_updates, next_question, question_for, the emergency interrupt), the shared harness's
own patient answers and scoring. The real measure is patient_sim against the running bot.

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

from engine.assessment import build_assessment  # noqa: E402
from engine.findings import findings_from_slots  # noqa: E402
from engine.interview import (derived_slots, needs_emergency_care, next_question,  # noqa: E402
                              question_for, slot_updates)
from knowledge import knowledge  # noqa: E402
from language.extract import extractor  # noqa: E402
from actions.slot_filling import answered  # noqa: E402
from rasa_ext.intent_override import interrupting_flags as interrupting  # noqa: E402

MAX_TRIES = 2


def load_patient_sim():
    shared = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
    spec = importlib.util.spec_from_file_location("patient_sim", shared / "tools" / "patient_sim.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["patient_sim"] = module
    spec.loader.exec_module(module)
    return module


def play(sim, vignette, verbose: bool) -> Any:
    kb, ex = knowledge(), extractor()
    convo = sim.Conversation(vignette_id=vignette.id, sender="dry")
    slots: Dict[str, Any] = {}
    text, tries = vignette.opening, 0
    while True:
        convo.turns += 1
        convo.note(f"USER: {text}")
        entities = ex.entities(text)
        requested = slots.get("requested_slot")
        updates = slot_updates(entities, slots, requested, kb, text)
        slots.update(updates)
        slots.update(derived_slots(slots, kb))
        if interrupting(entities) or needs_emergency_care(slots, kb):
            break
        if requested and not answered(requested, list(updates), kb):
            tries += 1
            if tries >= MAX_TRIES:
                slots["unanswered"] = list(slots.get("unanswered") or []) + [requested]
                tries = 0
        else:
            tries = 0
        asked = next_question(slots, kb)
        if asked is None or convo.turns >= 25:
            break
        slots["requested_slot"] = asked
        question_text, _ = question_for(asked, slots, kb)
        convo.note(f"BOT:  {question_text}")
        question = sim.identify_question([{"text": question_text}], slots)
        question.answer = sim.answer_for(question.topic, vignette.answers, question.also)
        convo.questions.append(question)
        text = question.answer
    convo.assessment = build_assessment(findings_from_slots(slots), kb)
    if verbose:
        print("\n".join(convo.transcript), "\n", {k: v for k, v in slots.items() if v not in (None, [])})
    return sim.Result(vignette=vignette, conversation=convo,
                      scores=sim.score(vignette.expect, convo.assessment))


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
