"""Where ../shared is (CI clones the repo with shared/ beside it; SHARED_DIR overrides)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
PATIENT_SIM = SHARED / "tools" / "patient_sim.py"
PUBLIC_VIGNETTES = SHARED / "vignettes" / "public.yml"
OWN_VIGNETTES = sorted((ROOT / "tests" / "vignettes").glob("*.yml"))
