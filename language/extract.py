"""Text in, entities out: regions, side, qualities, triggers, relievers, red flags, history,
rash, risk factors, numbers and short answers, each marked when the patient negated it.

A message is read one clause at a time (language.pipeline.clauses, each of bounded length):
matches on lemmas, frames, NegEx, activity roles and the long-past check all stay inside
one clause, so reading time grows linearly with the message. A warning sign the rules are
unsure of is emitted with role "suspected": the dialogue asks, it never decides on it.
"""

import bisect
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from negspacy.negation import Negex  # noqa: F401  (registers the "negex" factory)
from spacy.tokens import Doc, Span

from knowledge import Knowledge, knowledge
from language.numbers import bare_number, numbers_in
from language.patterns import FRAME_KEY, Match, build_matcher, frame_matches, phrase_table
from language.pipeline import Keys, build_nlp, clauses, words
from language.second_opinion import SecondOpinion
from language.spelling import SpellingRepair

# Matches in different layers may overlap; within a layer the longest wins.
LAYERS = ("side", "flags", "findings")
LAYER_OF = {
    "side": "side",
    "red_flag": "flags",
    "flag_denial": "flags",
    "suspected_flag": "flags",
    "not_a_flag": "flags",
}
# "right" as in "right down my leg" or "all right" is not a side.
NOT_A_SIDE_AFTER = {
    "down",
    "up",
    "now",
    "away",
    "there",
    "through",
    "into",
    "across",
    "along",
    "round",
    "around",
    "under",
    "over",
    "in",
    "to",
    "at",
    "behind",
    "by",
    "where",
    "on",
    # "right between my bum cheeks", "right from my hip": just where, not which side.
    "between",
    "below",
    "above",
    "next",
    "inside",
    "underneath",
    "beside",
    "from",
}
NOT_A_SIDE_BEFORE = {"all", "that's", "thats", "alright"}
# A duration in the same clause as these is about them, not about the pain.
OTHER_HISTORY = re.compile(
    r"\b(diabet\w*|type [12]|insulin|cancer|tumou?r|chemo\w*|smok\w*|"
    r"pregnan\w*|vap\w*|metformin|plaster|cast|steroids?|flight|"
    r"drive|journey|dieting|stone|kilos?|kg|section|replaced|replacement|op|operation|"
    r"surgery|sweats?|nights running|belt|notch\w*|weight|prednis\w*)\b"
)
# A four-digit year ("in 2015") dates a clause; one this year or last is not long past.
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
PLACE_WORDS = {"on", "in", "at", "into", "onto"}
# "I had chemo years ago and now...": the story turns to the present at "and now".
AND_WORDS = {"and", "but"}
NOW_WORDS = {"now", "nowadays", "lately", "recently", "today", "since"}
# A part this short after a long-past part belongs to it ("breast cancer 2017 (surgery,
# chemo, all clear)").
SHORT_PART = 3
ABSENT, CUED, SUSPECTED = "absent", "cued", "suspected"
# Words two findings of different kinds may share ("goes down" and "down my leg").
LINKING_WORDS = {"down", "up", "into", "round", "around", "through", "to", "my", "the"}
# "I wet myself laughing, but that's been happening since I had the kids": a clause that
# points back at the one before and dates it long ago makes that clause's warning signs old
# news (a warning sign counts when it is new).
BACK_REFERENCE = re.compile(
    r"^\W*(?:but|though|although|and)?\W*(?:that|it|this|they)(?:'s|'ve|\s+has|\s+have|\s+is|"
    r"\s+was)?\s+(?:been|always|happened|gone on)\b"
)
CLAUSE_BREAK = re.compile(r"[.;!?]|,\s|\bbut\b|\bwhereas\b|\bwhile\b")

Entity = Dict[str, Any]


def _cue_pattern(cues: Iterable[str]) -> re.Pattern:
    ordered = sorted(cues, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c.lower()) for c in ordered) + r")\b")


def _not_a_side(doc: Doc, category: str, start: int) -> bool:
    if category != "side":
        return False
    before2 = {doc[i].lower_ for i in range(max(0, start - 2), start)}
    if "than" in before2:  # "colder than my left": a comparison, not where it hurts
        return True
    if doc[start].lower_ != "right":
        return False
    after = doc[start + 1].lower_ if start + 1 < len(doc) else ""
    before = doc[start - 1].lower_ if start else ""
    return after in NOT_A_SIDE_AFTER or before in NOT_A_SIDE_BEFORE


def _own_negations(
    group: Sequence[Tuple[int, int]], preceding: Sequence[Tuple[Any, int, int]]
) -> Dict[int, int]:
    """Where each span of `group` starts for NegEx: a negation that begins before a span and
    runs into it ("haven't" of "n't had a poo", "there is no" of "no position I can lie in")
    is the sign's own words, not said about them, so the span takes it in (unless another
    span of the group is in the way)."""
    first = {}
    for start, _ in group:
        earlier = [p for _, p, end in preceding if p < start < end]
        new = min(earlier, default=start)
        if any(s < start and e > new for s, e in group):
            new = start
        first[start] = new
    return first


def _without_overlaps(spans: Sequence[Tuple[int, int]]) -> List[List[Tuple[int, int]]]:
    """Spans dealt into groups whose members do not overlap (a doc's entities may not)."""
    groups: List[List[Tuple[int, int]]] = []
    for start, end in spans:
        for group in groups:
            if all(e <= start or end <= s for s, e in group):
                group.append((start, end))
                break
        else:
            groups.append([(start, end)])
    return groups


def _conflict(match: Match, other: Match) -> bool:
    """Overlapping matches of one layer exclude each other, except a frame and the words of
    another sign ("his feet were dragging": both feet, and a foot that drags), words that
    are not a sign only block that sign ("between my legs" is not both legs, but can be
    numbness of the saddle), and two kinds of finding that share only a linking word ("it
    goes down my leg": how it feels, and where)."""
    a, b = match.span, other.span
    if not (a.start < b.end and b.start < a.end) or (a.start, a.end) == (b.start, b.end):
        return False
    if "not_a_flag" in (match.category, other.category):
        return match.value == other.value
    shared = range(max(a.start, b.start), min(a.end, b.end))
    if match.category != other.category and all(a.doc[i].lower_ in LINKING_WORDS for i in shared):
        return False
    return not ((match.framed or other.framed) and match.value != other.value)


class Extractor:
    """Built once from the knowledge base; `entities(text)` is pure and deterministic."""

    def __init__(self, kb: Knowledge) -> None:
        vocab = kb.vocabulary
        self.kb = kb
        self.nlp = build_nlp()
        self.keys = Keys(self.nlp, vocab.lemma_fixes)
        negation = vocab.negation
        self.negex = {}
        for name, following in (("findings", "following"), ("flags", "following_for_flags")):
            self.negex[name] = self.nlp.add_pipe(
                "negex",
                name=f"negex_{name}",
                config={
                    "neg_termset": {
                        "pseudo_negations": negation["pseudo"],
                        "preceding_negations": negation["preceding"],
                        "following_negations": negation[following],  # type: ignore[index]
                        "termination": negation["termination"],
                    },
                    "chunk_prefix": [],
                },
            )
        self.matcher = build_matcher(self.keys, kb)
        table = phrase_table(kb)
        known = {w for _, _, phrase in table for w in words(phrase)}
        self.spelling = SpellingRepair(vocab.misspellings, known)
        self.trigger_cues = _cue_pattern(vocab.trigger_cues)
        self.reliever_cues = _cue_pattern(vocab.reliever_cues)
        self.weak_trigger_cues = _cue_pattern(vocab.weak_trigger_cues)
        self.correction_cues = _cue_pattern(vocab.correction_cues)
        self.unsure_anywhere = _cue_pattern(vocab.unsure_words)
        self.long_past = _cue_pattern(vocab.long_past_cues) if vocab.long_past_cues else None
        self.present = _cue_pattern(vocab.present_cues) if vocab.present_cues else None
        self.keeps = set(vocab.long_past_keeps)
        self.exclusive = {
            "trigger": {v for v in vocab.triggers if v not in vocab.relievers},
            "reliever": {v for v in vocab.relievers if v not in vocab.triggers},
        }
        self.weak_words = {w.lower() for w in vocab.weak_reliever_words}
        # Reliever words no trigger uses ("perch on a stool", "get up and move") say what
        # they are by themselves, even when the value ("sitting") is in both vocabularies.
        # Not places ("on the floor", "in bed"): where one sits is not what helps.
        triggers = {tuple(self.keys.phrase(p)) for ps in vocab.triggers.values() for p in ps}
        self.own_words: Dict[str, Set[Tuple[str, ...]]] = {
            "trigger": set(),
            "reliever": {
                keys
                for ps in vocab.relievers.values()
                for keys in (tuple(self.keys.phrase(p)) for p in ps)
                if len(keys) > 1 and keys not in triggers and keys[0] not in PLACE_WORDS
            },
        }
        # Places that do not make "my leg" redundant: vague ones, and the back.
        self.vague = {r.name for r in kb.regions if r.vague or r.part == "back"}
        self.answers = [
            (kind, _cue_pattern(w))
            for kind, w in (
                ("unsure", vocab.unsure_words),
                ("no", vocab.no_words),
                ("yes", vocab.yes_words),
            )
        ]
        self.second_opinion = SecondOpinion(self.keys, kb)

    # -- one clause ---------------------------------------------------------------------
    def _matches(self, doc: Doc) -> List[Match]:
        """Longest matches win within a layer; the same span may carry several categories
        (ties). Layers are kept apart so that "my left calf is swollen" gives the side, the
        region and the warning sign."""
        found: List[Tuple[str, int, int]] = []
        frame_parts: List[Tuple[str, int, int]] = []
        for key, start, end in self.matcher(doc):
            name = self.nlp.vocab.strings[key]
            (frame_parts if name.startswith(FRAME_KEY) else found).append((name, start, end))
        candidates = []
        for name, start, end in found:
            category, value = name.split("|", 1)
            candidates.append(Match(category, value, doc[start:end]))
        candidates += frame_matches(doc, frame_parts, self.kb)
        kept: List[Match] = []
        for layer in LAYERS:
            taken: List[Match] = []
            # Plain words first, longest first; a suspicion only where nothing plain is said.
            ordered = sorted(
                candidates,
                key=lambda m: (
                    m.category == "suspected_flag",
                    m.framed,
                    m.span.start - m.span.end,
                    m.category != "not_a_flag",
                    m.span.start,
                ),
            )
            for match in ordered:
                start, end = match.span.start, match.span.end
                if LAYER_OF.get(match.category, "findings") != layer or _not_a_side(
                    doc, match.category, start
                ):
                    continue
                if any(_conflict(match, other) for other in taken):
                    continue
                taken.append(match)
                kept.append(match)
        return kept

    def _negated(self, doc: Doc, matches: Sequence[Match]) -> Set[Tuple[str, int, int]]:
        """(layer, start, end) of every negated match; NegEx runs once per layer because a
        doc's entities may not overlap."""
        negated = set()
        for layer in LAYERS:
            spans = sorted(
                {
                    (m.span.start, m.span.end)
                    for m in matches
                    if LAYER_OF.get(m.category, "findings") == layer
                }
            )
            negex = self.negex["flags" if layer == "flags" else "findings"]
            preceding = negex.process_negations(doc)[0]  # type: ignore[attr-defined]
            for group in _without_overlaps(spans):
                first = _own_negations(group, preceding)
                original = {first[s]: s for s, _ in group}
                doc.ents = tuple(Span(doc, first[s], e, label="FINDING") for s, e in group)  # type: ignore[assignment]
                doc = negex(doc)
                negated |= {
                    (layer, original[ent.start], ent.end) for ent in doc.ents if ent._.negex
                }
        return negated

    def _activity_role(self, text: str, start: int, end: int) -> Optional[str]:
        """'worse when sitting' -> trigger; 'sitting eases it' -> reliever; else unknown.
        `text` is one clause, so the search is bounded."""
        clause_start = max([m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)] or [0])
        following = CLAUSE_BREAK.search(text, end)
        clause_end = following.start() if following else len(text)
        nearest: Tuple[int, Optional[str]] = (10**6, None)
        for family, cues in (("trigger", self.trigger_cues), ("reliever", self.reliever_cues)):
            for cue in cues.finditer(text, clause_start, clause_end):
                if cue.start() < end and cue.end() > start:
                    continue
                distance = start - cue.end() if cue.end() <= start else cue.start() - end
                nearest = min(nearest, (distance, family), key=lambda item: item[0])
        if nearest[1] is None and self.weak_trigger_cues.search(text, clause_start, clause_end):
            return "trigger"
        return nearest[1]

    def is_long_past(self, text: str, today: dt.date) -> bool:
        """ "I had shingles in 2015", "as a child": history, unless the clause also says now."""
        text = text.lower()
        if self.present and self.present.search(text):
            return False
        years = [int(y) for y in YEAR.findall(text)]
        return bool(
            (self.long_past and self.long_past.search(text))
            or any(y < today.year - 1 for y in years)
        )

    def _old_news(self, text: str, today: dt.date) -> bool:
        return bool(BACK_REFERENCE.match(text.lower())) and self.is_long_past(text, today)

    def _sign_in(self, entity: Entity, clause_entities: Sequence[Entity]) -> bool:
        """A warning sign said present in that clause, not one that lasts (cancer)."""
        return (
            entity["entity"] == "red_flag"
            and entity.get("role") != ABSENT
            and any(entity is e for e in clause_entities)
            and not self._kept_in_past(entity)
        )

    def _kept_in_past(self, entity: Entity) -> bool:
        kind, value = entity["entity"], entity["value"]
        if kind == "red_flag":
            flag = self.kb.red_flags.flags.get(value)
            return bool(flag and flag.lasting)
        return kind in self.keeps or f"{kind}:{value}" in self.keeps

    def _absorbed(
        self, matches: Sequence[Match], negated: Set[Tuple[str, int, int]]
    ) -> Set[Tuple[str, int, int]]:
        """Findings inside the words of a sign that absorbs them ("my bum is numb")."""
        absorbed: Set[Tuple[str, int, int]] = set()
        signs = [
            m
            for m in matches
            if m.category in ("red_flag", "suspected_flag")
            and ("flags", m.span.start, m.span.end) not in negated
        ]
        for sign in signs:
            kinds = set(self.kb.red_flags.flags[sign.value].absorbs)
            absorbed |= {
                (m.category, m.span.start, m.span.end)
                for m in matches
                if m.category in kinds
                and sign.span.start <= m.span.start
                and m.span.end <= sign.span.end
            }
        return absorbed

    def segments(self, clause: Span, today: dt.date) -> List[Tuple[int, bool]]:
        """(first token, long past?) of each comma-separated part of a clause: "it burns,
        and I had chickenpox as a kid" is present, then past."""
        starts = [clause.start] + [
            t.i + 1 if t.text == "," else t.i
            for t in clause
            if t.i + 1 < clause.end
            and (t.text == "," or (t.lower_ in AND_WORDS and t.nbor().lower_ in NOW_WORDS))
        ]
        starts = sorted(set(starts))
        ends = starts[1:] + [clause.end]
        doc = clause.doc
        parts: List[Tuple[int, bool]] = []
        for start, end in zip(starts, ends, strict=False):
            past = self.is_long_past(doc[start:end].text, today)
            if (
                not past
                and parts
                and parts[-1][1]
                and end - start <= SHORT_PART + 1
                and not (self.present and self.present.search(doc[start:end].text.lower()))
            ):
                past = True
            parts.append((start, past))
        return parts

    def _clause_entities(self, clause: Span, today: dt.date) -> List[Entity]:
        parts = self.segments(clause, today)
        part_starts = [start - clause.start for start, _ in parts]
        doc = self.keys.set_norms(clause.as_doc())
        offset, text = clause.start_char, doc.text
        matches = self._matches(doc)
        negated = self._negated(doc, matches)
        absorbed = self._absorbed(matches, negated)
        # A phrase both vocabularies share ("standing", "sitting") says nothing by itself.
        activity_spans = [
            (m.span.start, m.span.end) for m in matches if m.category in ("trigger", "reliever")
        ]
        shared = {span for span in activity_spans if activity_spans.count(span) > 1}
        entities: List[Entity] = []
        for match in matches:
            if (match.category, match.span.start, match.span.end) in absorbed:
                continue
            entity = {
                "entity": match.category,
                "value": match.value,
                "start": offset + match.span.start_char,
                "end": offset + match.span.end_char,
                "text": match.span.text,
            }
            layer = LAYER_OF.get(match.category, "findings")
            is_negated = (layer, match.span.start, match.span.end) in negated
            if match.category == "not_a_flag":
                continue
            if match.category == "flag_denial":
                entity.update(entity="red_flag", role=ABSENT)
            elif match.category == "suspected_flag":
                if is_negated:
                    continue
                entity.update(entity="red_flag", role=SUSPECTED)
            elif is_negated and match.category == "side":
                continue  # "the left leg is fine" says nothing about which side hurts
            elif is_negated:
                entity["role"] = ABSENT
            elif match.category in ("trigger", "reliever"):
                role = self._activity_role(text, match.span.start_char, match.span.end_char)
                if role and role != match.category:
                    continue
                span = (match.span.start, match.span.end)
                own = tuple(self.keys.of(t) for t in match.span) in self.own_words[match.category]
                plain = (
                    span not in shared
                    and (match.value in self.exclusive[match.category] or own)
                    and match.span.text.lower() not in self.weak_words
                )
                if role or plain:
                    entity["role"] = CUED
            part = bisect.bisect_right(part_starts, match.span.start) - 1
            if parts[part][1] and not self._kept_in_past(entity):
                continue
            entities.append(entity)
        return entities

    # -- the whole message --------------------------------------------------------------
    def _about_something_else(self, text: str, start: int) -> bool:
        """ "diabetic for 10 years", "cancer five years ago": not how long the pain has been.
        Looks back a few words (at most 30 characters), within the clause."""
        window_start = max(0, start - 30)
        breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, window_start, start)]
        return bool(OTHER_HISTORY.search(text, max(breaks or [window_start]), start))

    def _answer(self, text: str) -> Optional[str]:
        for kind, pattern in self.answers:
            if pattern.match(text.strip(" \"'")):
                return kind
        return None

    def entities(self, text: str, today: Optional[dt.date] = None) -> List[Entity]:
        today = today or dt.date.today()
        raw, text = text, self.spelling.repair(text)
        doc = self.nlp.get_pipe("sentencizer")(
            self.nlp.get_pipe("lemmatizer")(self.nlp.make_doc(text))
        )
        entities: List[Entity] = []
        starts, past = [], []
        before: List[Entity] = []  # the previous clause's entities
        old: List[Entity] = []  # signs that are old news: said, so not for the second opinion
        for clause in clauses(doc):
            found = self._clause_entities(clause, today)
            if before and self._old_news(clause.text, today):
                old += [e for e in entities if self._sign_in(e, before)]
                entities = [e for e in entities if not self._sign_in(e, before)]
            entities += found
            before = found
            for start, is_past in self.segments(clause, today):
                starts.append(doc[start].idx)
                past.append(is_past)
        exact_duration, said = False, []
        for number in numbers_in(text, today):
            index = bisect.bisect_right(starts, number.start) - 1
            if index >= 0 and past[index] and number.kind != "age":
                continue
            entity = {
                "entity": number.kind,
                "value": number.value,
                "start": number.start,
                "end": number.end,
            }
            if number.cued and not (
                number.kind == "duration_days" and self._about_something_else(text, number.start)
            ):
                entity["role"] = CUED
                exact_duration = exact_duration or (
                    number.kind == "duration_days" and not number.vague
                )
            said.append((entity, number.vague))
        # "on and off for years, but this flare started on thursday": the exact one counts.
        entities += [entity for entity, is_vague in said if not (exact_duration and is_vague)]
        self.second_opinion.is_long_past = lambda clause: self.is_long_past(clause, today)
        entities += self.second_opinion.suspected(doc, entities + old)
        answer = self._answer(text)
        if answer:
            entities.append({"entity": "answer", "value": answer, "start": 0, "end": 0})
        entities += self._message_cues(raw)
        return _first_of_each(_settled(self._leg_as_a_whole(entities)))

    def _leg_as_a_whole(self, entities: List[Entity]) -> List[Entity]:
        """ "the calf of my right leg": the leg is only where the calf is. A plain "leg" is a
        place of its own only when nothing more exact is named ("down my leg" always is)."""
        exact = any(
            e["entity"] == "body_region"
            and e["value"] not in self.vague
            and e.get("role") != ABSENT
            for e in entities
        )
        if not exact:
            return entities
        return [
            e
            for e in entities
            if not (
                e["entity"] == "body_region"
                and e["value"] == "whole leg"
                and e.get("role") != ABSENT
                and not any(
                    w in (e.get("text") or "").lower() for w in ("down", "whole", "entire", "legs")
                )
            )
        ]

    def _message_cues(self, raw: str) -> List[Entity]:
        """What the whole message says about itself: a correction ("actually, my heel"), a
        hedge anywhere in it ("no... I'm not sure about the waterworks"), and a lone number
        ("42"), whose meaning depends on the question asked."""
        cues: List[Entity] = []
        if self.correction_cues.search(raw.lower()):
            cues.append({"entity": "correction", "value": True, "start": 0, "end": 0})
        if self.unsure_anywhere.search(raw.lower()):
            cues.append({"entity": "hedge", "value": "unsure", "start": 0, "end": 0})
        number = bare_number(raw)
        if number is not None:
            cues.append({"entity": "number", "value": number, "start": 0, "end": len(raw)})
        return cues


def _settled(entities: List[Entity]) -> List[Entity]:
    """A sign said plainly (present or absent) needs no question about it."""
    said = {
        e["value"] for e in entities if e["entity"] == "red_flag" and e.get("role") != SUSPECTED
    }
    return [
        e
        for e in entities
        if not (e["entity"] == "red_flag" and e.get("role") == SUSPECTED and e["value"] in said)
    ]


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
