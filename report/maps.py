"""The project's leg dermatome map (web/legmap.py, which also serves /maps/...), for the
report: the same drawing as the widget's, with the patient's roots highlighted."""

import functools
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Sequence

LEGMAP = Path(__file__).resolve().parents[1] / "web" / "legmap.py"


@functools.lru_cache(maxsize=1)
def _legmap() -> ModuleType:
    # web/ is not a package (it is served as a directory), so its module is loaded by path.
    spec = importlib.util.spec_from_file_location("legmap", LEGMAP)
    assert spec and spec.loader, LEGMAP
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def map_png(roots: Sequence[str]) -> bytes:
    return _legmap().dermatome_png(list(roots))


def map_svg(roots: Sequence[str]) -> str:
    return _legmap().dermatome_svg(list(roots))
