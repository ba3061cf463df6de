"""A trained second opinion on warning signs, for when the rules found nothing: a small naive
Bayes classifier over the lemmas of a message, trained when the extractor is built from the
knowledge base's phrases for each sign and from knowledge/data/sign_examples.yml (messages
of the real-voice corpus's TUNING half, written by tools/split_corpus.py).

It only ever makes the assistant ask: a sign it finds is emitted with role "suspected".
"""

import math
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set

import yaml
from spacy.tokens import Doc

from knowledge import Knowledge
from language.pipeline import Keys, clauses

EXAMPLES = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "sign_examples.yml"
THRESHOLD = 0.99  # posterior probability needed before the assistant asks
PHRASE_WEIGHT = 1  # a knowledge-base phrase counts as this many example messages
MIN_SUPPORT = 4  # with 3, a word as common as "calf" argued for signs on its own
# Emergency signs are asked about on less: a question costs little, a miss a great deal.
EMERGENCY_MIN_SUPPORT = 3
# Signs the classifier never guesses: both legs is said in so many words ("both", "my legs")
# and a swollen calf by a calf word beside a swelling word (the rules' frames); on the tuning
# half the classifier found 1 more of these and raised 9 false alarms, from words of other
# complaints ("pins and needles", "calf").
NOT_GUESSED = {"bilateral_leg_symptoms", "calf_swelling"}
# Words too common to tell signs apart.
STOPWORDS = {
    "i",
    "my",
    "me",
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "in",
    "on",
    "it",
    "be",
    "have",
    "do",
    "that",
    "this",
    "is",
    "for",
    "with",
    "at",
    "but",
    "so",
    "just",
    "get",
    "go",
    "like",
    "feel",
    "now",
    "since",
    "day",
    "week",
    "leg",
    "pain",
    "hurt",
    "not",
    "no",
    "can",
    "will",
    ",",
    ".",
    "!",
    "?",
    "'s",
    "he",
    "she",
    "his",
    "her",
    "they",
    "we",
    "you",
    "up",
    "down",
    "very",
    "really",
    "bit",
    "all",
    "from",
    "when",
}


def features(keys: Sequence[str]) -> Set[str]:
    words = [k for k in keys if k.isalpha() and k not in STOPWORDS]
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def load_examples(path: Path = EXAMPLES) -> List[Dict[str, Any]]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("examples") or [])


class SecondOpinion:
    def __init__(
        self, keys: Keys, kb: Knowledge, examples: Iterable[Mapping[str, Any]] | None = None
    ) -> None:
        self.keys = keys
        self.enabled = True  # tools/score_language.py --rules-only turns it off
        # The extractor's long-past test (clause text -> bool), set by the extractor.
        self.is_long_past: Optional[Callable[[str], bool]] = None
        self.signs = [sign for sign in kb.red_flags.flags if sign not in NOT_GUESSED]
        self.min_support = {
            sign: EMERGENCY_MIN_SUPPORT if flag.triage == "emergency" else MIN_SUPPORT
            for sign, flag in kb.red_flags.flags.items()
        }
        docs: List[tuple] = []  # (features, signs present, weight)
        for flag_id, flag in kb.red_flags.flags.items():
            docs += [(features(keys.phrase(p)), {flag_id}, PHRASE_WEIGHT) for p in flag.phrases]
            docs += [(features(keys.phrase(p)), set(), 1) for p in flag.denials]
        for example in load_examples() if examples is None else examples:
            docs.append((features(keys.phrase(example["text"])), set(example["signs"]), 1))
        self.total = sum(weight for _, _, weight in docs) or 1
        self.positives: Counter = Counter()
        self.counts: Dict[str, Counter] = {s: Counter() for s in self.signs}
        self.negative_counts: Dict[str, Counter] = {s: Counter() for s in self.signs}
        for found, present, weight in docs:
            for sign in self.signs:
                target = self.counts if sign in present else self.negative_counts
                target[sign].update({f: weight for f in found})
                if sign in present:
                    self.positives[sign] += weight

    def probability(self, sign: str, found: Set[str]) -> float:
        """P(sign | the message's features), Bernoulli-style on the features present."""
        positive = self.positives[sign]
        negative = self.total - positive
        if not positive:
            return 0.0
        log_odds = math.log(positive / negative)
        for feature in found:
            p = (self.counts[sign][feature] + 0.5) / (positive + 1)
            q = (self.negative_counts[sign][feature] + 0.5) / (negative + 1)
            # Only words seen with the sign at least MIN_SUPPORT times can argue for it.
            if self.counts[sign][feature] >= self.min_support[sign] or (
                self.negative_counts[sign][feature] and p < q
            ):
                log_odds += math.log(p / q)
        return 1 / (1 + math.exp(-max(min(log_odds, 50), -50)))

    def suspected(self, doc: Doc, entities: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
        """Signs the rules said nothing about that the classifier thinks likely."""
        if not self.enabled:
            return []
        said = {e["value"] for e in entities if e["entity"] == "red_flag"}
        found: Set[str] = set()
        for clause in clauses(doc):  # bigrams never cross a clause; history is not read
            if not (self.is_long_past and self.is_long_past(clause.text)):
                found |= features([self.keys.of(token) for token in clause])
        return [
            {
                "entity": "red_flag",
                "value": sign,
                "role": "suspected",
                "start": 0,
                "end": len(doc.text),
            }
            for sign in self.signs
            if sign not in said and self.probability(sign, found) >= THRESHOLD
        ]
