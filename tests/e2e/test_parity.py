"""The offline dry run and the real bot compute the same interview: every vignette of the
suite gives the same triage, causes and dermatomes both ways (engine.turn is the one place
a turn is computed; this test catches an adapter that drifts from it)."""

import json

from tools import dry_run
from tools.shared_paths import OWN_VIGNETTES, PUBLIC_VIGNETTES

COMPARED = ("triage", "causes", "dermatomes")


def test_the_dry_run_plays_every_vignette_as_the_bot_does(suite):
    bot = {
        record["id"]: record
        for path in suite
        for record in json.loads(path.read_text())["vignettes"]
    }
    sim = dry_run.load_patient_sim()
    differences = []
    for path in [PUBLIC_VIGNETTES, *OWN_VIGNETTES]:
        for vignette in sim.load_vignettes(path):
            offline = dry_run.play(sim, vignette, verbose=False).to_record()
            online = bot[vignette.id]
            differences += [
                f"{vignette.id} {key}: bot {online[key]} / dry run {offline[key]}"
                for key in COMPARED
                if online[key] != offline[key]
            ]
    assert len(bot) >= 94
    assert not differences, "\n".join(differences)
