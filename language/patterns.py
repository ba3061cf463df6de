"""What the matcher looks for, generated from the knowledge base: one pattern per phrase,
matched on lemmas with at most MAX_GAP filler words between a phrase's words, and frames
(word groups that must all occur close together, in any order)."""

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from knowledge import Knowledge
from language.pipeline import Keys

# Words a phrase may drop ("outside of the foot" also matches "outside of foot") and words
# that may sit between a phrase's words ("outside of my left foot").
DROPPABLE = {"the", "my", "a", "your", "his", "her", "their", "an"}
SKIPPABLE = sorted(
    DROPPABLE
    | {
        "of",
        "left",
        "right",
        "lft",
        "both",
        "lower",
        "whole",
        "entire",
        "little",
        "bit",
        "own",
        "still",
        "just",
        "some",
        "anything",
        "proper",
        "really",
        "now",
        "kind",
        "sort",
        "always",
        "all",
        "properly",
        "even",
        "quite",
        "very",
        "so",
        "at",
        "completely",
        "totally",
        "sometimes",
        "suddenly",
        "-",
        "anymore",
        "any",
        "more",
        "be",
        "have",
        "get",
        "go",
        "feel",
        "like",
    }
)
MAX_GAP = 2  # filler words allowed between two words of a phrase
FRAME_WINDOW = 10  # tokens a frame may span
# A word of these inside a frame, outside its groups, turns it into a denial
# ("my foot isn't dragging").
FRAME_NEGATIONS = {"not", "no", "never", "without", "nothing"}
FRAME_KEY = "frame"


@dataclass(frozen=True)
class Match:
    category: str
    value: str
    span: Span
    framed: bool = False  # found by a frame: a phrase said in so many words goes first


def phrase_table(kb: Knowledge) -> List[Tuple[str, str, str]]:
    """(category, canonical value, phrase) for every phrase the matcher should find."""
    vocab, table = kb.vocabulary, []
    table += [("body_region", r.name, s) for r in kb.regions for s in r.synonyms]
    table += [
        ("body_region", name, p) for name, idioms in vocab.region_idioms.items() for p in idioms
    ]
    for category, groups in (
        ("side", vocab.sides),
        ("quality", vocab.qualities),
        ("trigger", vocab.triggers),
        ("reliever", vocab.relievers),
        ("history", vocab.history),
    ):
        table += [(category, value, p) for value, phrases in groups.items() for p in phrases]
    table += [("rash", "rash", p) for p in vocab.rash]
    for flag_id, flag in kb.red_flags.flags.items():
        table += [("red_flag", flag_id, p) for p in flag.phrases]
        table += [("flag_denial", flag_id, p) for p in flag.denials]
        table += [("suspected_flag", flag_id, p) for p in flag.suspected]
        table += [("not_a_flag", flag_id, p) for p in flag.not_the_sign]
    table += [("risk_factor", k, p) for k, risk in kb.risk_factors.items() for p in risk.phrases]
    table += [("motor_sign", k, p) for k, sign in kb.myotomes.items() for p in sign.phrases]
    table += [("topic", k, p) for k, entry in kb.glossary.items() for p in entry.words]
    return table


def frame_table(kb: Knowledge) -> List[Tuple[str, str, int, Sequence[Sequence[str]]]]:
    """(category, flag id, frame number, word groups) for every frame of every sign."""
    table: List[Tuple[str, str, int, Sequence[Sequence[str]]]] = []
    for flag_id, flag in kb.red_flags.flags.items():
        for category, frames in (
            ("red_flag", flag.frames),
            ("suspected_flag", flag.suspected_frames),
        ):
            table += [(category, flag_id, i, groups) for i, groups in enumerate(frames)]
    return table


def pattern(keys: Sequence[str]) -> List[Dict[str, Any]]:
    """Exact lemmas, droppable words optional, at most MAX_GAP filler words in between."""
    tokens: List[Dict[str, Any]] = []
    for index, key in enumerate(keys):
        if index and key in DROPPABLE:
            continue
        if index:
            tokens += [{"NORM": {"IN": SKIPPABLE}, "OP": "?"}] * MAX_GAP
        tokens.append({"NORM": key})
    return tokens


def build_matcher(keys: Keys, kb: Knowledge) -> Matcher:
    matcher = Matcher(keys.nlp.vocab)
    for category, value, phrase in phrase_table(kb):
        matcher.add(f"{category}|{value}", [pattern(keys.phrase(phrase))])
    for category, flag_id, number, groups in frame_table(kb):
        for group_number, group in enumerate(groups):
            name = f"{FRAME_KEY}|{category}|{flag_id}|{number}|{group_number}"
            matcher.add(name, [pattern(keys.phrase(p)) for p in group])
    return matcher


def frame_matches(doc: Doc, found: Iterable[Tuple[str, int, int]], kb: Knowledge) -> List[Match]:
    """Frames whose groups all matched within FRAME_WINDOW tokens, without overlapping.
    `found` holds the frame-group matches of one clause, so the search stays small."""
    groups: Dict[Tuple[str, str, int], Dict[int, List[Tuple[int, int]]]] = {}
    for key, start, end in found:
        _, category, flag_id, frame_number, group = key.split("|")
        frame = groups.setdefault((category, flag_id, int(frame_number)), {})
        frame.setdefault(int(group), []).append((start, end))
    matches = []
    for (category, flag_id, number), by_group in groups.items():
        flag = kb.red_flags.flags[flag_id]
        frames = flag.frames if category == "red_flag" else flag.suspected_frames
        if len(by_group) < len(frames[number]):
            continue
        chosen = _closest(list(by_group.values()))
        if not chosen:
            continue
        start, end = min(c[0] for c in chosen), max(c[1] for c in chosen)
        inside = {i for c in chosen for i in range(c[0], c[1])}
        denied = any(doc[i].norm_ in FRAME_NEGATIONS for i in range(start, end) if i not in inside)
        if denied and category == "red_flag":
            matches.append(Match("flag_denial", flag_id, doc[start:end], framed=True))
        elif not denied:
            matches.append(Match(category, flag_id, doc[start:end], framed=True))
    return matches


def _closest(groups: List[List[Tuple[int, int]]]) -> Optional[List[Tuple[int, int]]]:
    """The tightest choice of one match per group, if it fits FRAME_WINDOW."""
    best: Optional[List[Tuple[int, int]]] = None
    for anchor in groups[0]:
        chosen = [anchor]
        for others in groups[1:]:
            free = [m for m in others if all(m[1] <= c[0] or m[0] >= c[1] for c in chosen)]
            if not free:
                break
            chosen.append(min(free, key=lambda m: abs(m[0] - anchor[0])))
        else:
            width = max(c[1] for c in chosen) - min(c[0] for c in chosen)
            if width <= FRAME_WINDOW and (best is None or width < _width(best)):
                best = chosen
    return best


def _width(chosen: List[Tuple[int, int]]) -> int:
    return max(c[1] for c in chosen) - min(c[0] for c in chosen)
