"""Repair common spelling slips before matching ("tingeling" -> "tingling")."""

import re
from typing import Dict, Iterable, Optional

_WORD = re.compile(r"[a-z][a-z'-]*")
# Short words are too easily another real word ("calf"/"half"), so only long ones are
# corrected by distance; short slips must be listed in vocabulary.yml.
MIN_LENGTH = 7


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return (
        a[i:] == b[i + 1 :]
        or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])
        or (
            len(a) == len(b)
            and i + 1 < len(a)
            and a[i] == b[i + 1]
            and a[i + 1] == b[i]
            and a[i + 2 :] == b[i + 2 :]
        )
    )


class SpellingRepair:
    def __init__(self, known_slips: Dict[str, str], domain_words: Iterable[str]) -> None:
        self.known_slips = {slip.lower(): right.lower() for slip, right in known_slips.items()}
        self.domain_words = {w for w in domain_words if len(w) >= MIN_LENGTH}
        # Words already looked at: each distinct word is compared with the vocabulary once.
        self.seen: Dict[str, Optional[str]] = {}

    def _fix(self, word: str) -> Optional[str]:
        if word not in self.seen:
            if len(self.seen) > 50_000:
                self.seen.clear()
            self.seen[word] = self._find(word)
        return self.seen[word]

    def _find(self, word: str) -> Optional[str]:
        if word in self.known_slips:
            return self.known_slips[word]
        if len(word) < MIN_LENGTH or word in self.domain_words:
            return None
        close = [known for known in self.domain_words if _within_one_edit(word, known)]
        return close[0] if len(close) == 1 else None

    def repair(self, text: str) -> str:
        """Lower-cased text with known and near-miss slips replaced."""
        return _WORD.sub(lambda m: self._fix(m.group()) or m.group(), text.lower())
