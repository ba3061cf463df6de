"""Text in, entities out: regions, side, qualities, triggers, relievers, red flags, history,
rash, risk factors, numbers and short answers, each marked when the patient negated it."""
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from negspacy.negation import Negex  # noqa: F401  (registers the "negex" factory)
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from knowledge import Knowledge, knowledge
from language.numbers import bare_number, numbers_in
from language.spelling import SpellingRepair

# Words a phrase may drop ("outside of the foot" also matches "outside of foot") and words
# that may sit between a phrase's words ("outside of my left foot").
DROPPABLE = {"the", "my", "a", "your", "his", "her", "their"}
SKIPPABLE = sorted(DROPPABLE | {"of", "left", "right", "lft", "both", "lower", "whole", "entire",
                                "little", "bit", "own", "still", "just", "really", "now",
                                "kind", "sort", "always", "all"})
# Matches in different layers may overlap; within a layer the longest wins.
LAYERS = ("side", "flags", "findings")
LAYER_OF = {"side": "side", "red_flag": "flags", "flag_denial": "flags"}
# "right" as in "right down my leg" or "all right" is not a side.
NOT_A_SIDE_AFTER = {"down", "up", "now", "away", "there", "through", "into", "across", "along",
                    "round", "around", "under", "over", "in", "to", "at", "behind", "by"}
NOT_A_SIDE_BEFORE = {"all", "that's", "thats", "alright"}
# A duration in the same clause as these is about them, not about the pain.
OTHER_HISTORY = re.compile(r"\b(diabet\w*|type [12]|insulin|cancer|tumou?r|chemo\w*|smok\w*|"
                           r"pregnan\w*|vap\w*|metformin)\b")
ABSENT = "absent"
CUED = "cued"
CLAUSE_BREAK = re.compile(r"[.;!?]|,\s|\bbut\b|\bwhereas\b|\bwhile\b")

Entity = Dict[str, Any]


def _idiom(doc: Doc, category: str, start: int) -> bool:
    if category != "side" or doc[start].lower_ != "right":
        return False
    after = doc[start + 1].lower_ if start + 1 < len(doc) else ""
    before = doc[start - 1].lower_ if start else ""
    return after in NOT_A_SIDE_AFTER or before in NOT_A_SIDE_BEFORE


@dataclass(frozen=True)
class Match:
    category: str
    value: str
    span: Span


def stem(word: str) -> str:
    """A crude plural/verb-s stem so that "foot drops" matches "foot drop" and "shins"
    matches "shin"; applied to the text and to every phrase alike."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _phrase_table(kb: Knowledge) -> List[Tuple[str, str, str]]:
    """(category, canonical value, phrase) for everything the matcher should find."""
    vocab, table = kb.vocabulary, []
    table += [("body_region", r.name, s) for r in kb.regions for s in r.synonyms]
    for category, groups in (("side", vocab.sides), ("quality", vocab.qualities),
                             ("trigger", vocab.triggers), ("reliever", vocab.relievers),
                             ("history", vocab.history)):
        table += [(category, value, p) for value, phrases in groups.items() for p in phrases]
    table += [("rash", "rash", p) for p in vocab.rash]
    for flag_id, flag in kb.red_flags.flags.items():
        table += [("red_flag", flag_id, p) for p in flag.phrases]
        table += [("flag_denial", flag_id, p) for p in flag.denials]
    table += [("risk_factor", k, p) for k, risk in kb.risk_factors.items() for p in risk.phrases]
    table += [("topic", k, p) for k, entry in kb.glossary.items() for p in entry.words]
    return table


def _cue_pattern(cues: Iterable[str]) -> re.Pattern:
    ordered = sorted(cues, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c.lower()) for c in ordered) + r")\b")


class Extractor:
    """Built once from the knowledge base; `entities(text)` is pure and deterministic."""

    def __init__(self, kb: Knowledge) -> None:
        vocab = kb.vocabulary
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        negation = vocab.negation
        for name, following in (("negex_findings", "following"),
                                ("negex_flags", "following_for_flags")):
            self.nlp.add_pipe("negex", name=name, config={"neg_termset": {
                "pseudo_negations": negation["pseudo"],
                "preceding_negations": negation["preceding"],
                "following_negations": negation[following],
                "termination": negation["termination"]}, "chunk_prefix": []})
        self.matcher = Matcher(self.nlp.vocab)
        table = _phrase_table(kb)
        for category, value, phrase in table:
            self.matcher.add(f"{category}|{value}", [self._pattern(phrase)])
        words = {w for _, _, phrase in table for w in re.findall(r"[a-z]+", phrase.lower())}
        self.spelling = SpellingRepair(vocab.misspellings, words)
        self.trigger_cues = _cue_pattern(vocab.trigger_cues)
        self.reliever_cues = _cue_pattern(vocab.reliever_cues)
        self.weak_trigger_cues = _cue_pattern(vocab.weak_trigger_cues)
        self.correction_cues = _cue_pattern(vocab.correction_cues)
        self.exclusive = {
            "trigger": {v for v in vocab.triggers if v not in vocab.relievers},
            "reliever": {v for v in vocab.relievers if v not in vocab.triggers}}
        self.answers = [(kind, _cue_pattern(words)) for kind, words in (
            ("unsure", vocab.unsure_words), ("no", vocab.no_words), ("yes", vocab.yes_words))]

    def _pattern(self, phrase: str) -> List[Dict[str, Any]]:
        tokens = [t.lower_ for t in self.nlp.make_doc(phrase.lower())]
        pattern: List[Dict[str, Any]] = []
        for index, token in enumerate(tokens):
            if index and token in DROPPABLE:
                continue
            if index:
                pattern.append({"NORM": {"IN": SKIPPABLE}, "OP": "*"})
            pattern.append({"NORM": stem(token)})
        return pattern

    def _matches(self, doc: Doc) -> List[Match]:
        """Longest matches win within a layer; the same span may carry several categories
        (ties). Layers are kept apart so that "my left calf is swollen" gives the side, the
        region and the warning sign."""
        found = [(self.nlp.vocab.strings[key], start, end) for key, start, end in self.matcher(doc)]
        kept: List[Match] = []
        for layer in LAYERS:
            taken: List[Tuple[int, int]] = []
            for key, start, end in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
                category, value = key.split("|", 1)
                if LAYER_OF.get(category, "findings") != layer or _idiom(doc, category, start):
                    continue
                if any(s < end and start < e and (s, e) != (start, end) for s, e in taken):
                    continue
                taken.append((start, end))
                kept.append(Match(category, value, doc[start:end]))
        return kept

    def _negated(self, doc: Doc, matches: Sequence[Match]) -> set:
        """(layer, start, end) of every negated match; NegEx runs once per layer because a
        doc's entities may not overlap."""
        negated = set()
        for layer in LAYERS:
            spans = sorted({(m.span.start, m.span.end) for m in matches
                            if LAYER_OF.get(m.category, "findings") == layer})
            doc.ents = [Span(doc, s, e, label="FINDING") for s, e in spans]
            doc = self.nlp.get_pipe("negex_flags" if layer == "flags" else "negex_findings")(doc)
            negated |= {(layer, ent.start, ent.end) for ent in doc.ents if ent._.negex}
        return negated

    def _activity_role(self, text: str, match: Match) -> Optional[str]:
        """'worse when sitting' -> trigger; 'sitting eases it' -> reliever; else unknown."""
        start, end = match.span.start_char, match.span.end_char
        clause_start = max([m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)] or [0])
        following = CLAUSE_BREAK.search(text, end)
        clause_end = following.start() if following else len(text)
        nearest: Tuple[int, Optional[str]] = (10 ** 6, None)
        for family, cues in (("trigger", self.trigger_cues), ("reliever", self.reliever_cues)):
            for cue in cues.finditer(text, clause_start, clause_end):
                if cue.start() < end and cue.end() > start:
                    continue
                distance = start - cue.end() if cue.end() <= start else cue.start() - end
                nearest = min(nearest, (distance, family), key=lambda item: item[0])
        if nearest[1] is None and self.weak_trigger_cues.search(text, clause_start, clause_end):
            return "trigger"
        return nearest[1]

    def _about_something_else(self, text: str, start: int) -> bool:
        """"diabetic for 10 years", "cancer five years ago": not how long the pain has been."""
        clause_start = max([m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)] or [0])
        return bool(OTHER_HISTORY.search(text, clause_start, start))

    def _answer(self, text: str) -> Optional[str]:
        for kind, pattern in self.answers:
            match = pattern.match(text.strip(" \"'"))
            if match:
                return kind
        return None

    def entities(self, text: str, today: Optional[dt.date] = None) -> List[Entity]:
        raw, text = text, self.spelling.repair(text)
        doc = self.nlp.get_pipe("sentencizer")(self.nlp.make_doc(text))
        for token in doc:
            token.norm_ = stem(token.lower_)
        matches = self._matches(doc)
        negated = self._negated(doc, matches)
        # A phrase both vocabularies share ("standing", "sitting") says nothing by itself.
        activity_spans = [(m.span.start, m.span.end) for m in matches
                          if m.category in ("trigger", "reliever")]
        shared = {span for span in activity_spans if activity_spans.count(span) > 1}
        entities: List[Entity] = []
        for match in matches:
            entity = {"entity": match.category, "value": match.value,
                      "start": match.span.start_char, "end": match.span.end_char,
                      "text": match.span.text}
            layer = LAYER_OF.get(match.category, "findings")
            is_negated = (layer, match.span.start, match.span.end) in negated
            if match.category == "flag_denial":
                entity.update(entity="red_flag", role=ABSENT)
            elif is_negated and match.category == "side":
                continue  # "the left leg is fine" says nothing about which side hurts
            elif is_negated:
                entity["role"] = ABSENT
            elif match.category in ("trigger", "reliever"):
                role = self._activity_role(text, match)
                if role and role != match.category:
                    continue
                span = (match.span.start, match.span.end)
                if role or (span not in shared and match.value in self.exclusive[match.category]):
                    entity["role"] = CUED
            entities.append(entity)
        for number in numbers_in(text, today):
            entity = {"entity": number.kind, "value": number.value,
                      "start": number.start, "end": number.end}
            if number.cued and not self._about_something_else(text, number.start):
                entity["role"] = CUED
            entities.append(entity)
        answer = self._answer(text)
        if answer:
            entities.append({"entity": "answer", "value": answer, "start": 0, "end": 0})
        entities += self._message_cues(raw)
        return _first_of_each(entities)

    def _message_cues(self, raw: str) -> List[Entity]:
        """What the whole message says about itself: a correction ("actually, my heel") and
        a lone number ("42"), whose meaning depends on the question asked."""
        cues: List[Entity] = []
        if self.correction_cues.search(raw.lower()):
            cues.append({"entity": "correction", "value": True, "start": 0, "end": 0})
        number = bare_number(raw)
        if number is not None:
            cues.append({"entity": "number", "value": number, "start": 0, "end": len(raw)})
        return cues


def _first_of_each(entities: List[Entity]) -> List[Entity]:
    """One entity per (type, value, role): repeats add nothing downstream."""
    seen, unique = set(), []
    for entity in entities:
        key = (entity["entity"], entity["value"], entity.get("role"))
        if key not in seen:
            seen.add(key)
            unique.append(entity)
    return unique


@lru_cache(maxsize=1)
def extractor() -> Extractor:
    return Extractor(knowledge())
