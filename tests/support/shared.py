"""Where ../shared is: tools/shared_paths.py."""

from tools.shared_paths import OWN_VIGNETTES, PATIENT_SIM, PUBLIC_VIGNETTES, SHARED  # noqa: F401
