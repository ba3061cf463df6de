"""The shape of every knowledge file, checked with pydantic when the knowledge base loads."""

from typing import TYPE_CHECKING, Dict, List, Literal, Optional

from pydantic import BaseModel, Extra, Field, conlist, constr, root_validator, validator

from knowledge.contract import ROOTS, TRIAGE_LEVELS

Root = Literal[ROOTS]  # type: ignore[valid-type]
Triage = Literal[TRIAGE_LEVELS]  # type: ignore[valid-type]
if TYPE_CHECKING:  # what the constrained types below hold, for the type checker
    Text = str
    Sources = List[str]
    Phrases = List[str]
else:
    Text = constr(strip_whitespace=True, min_length=1, strict=True)
    Sources = conlist(Text, min_items=1)
    Phrases = conlist(Text, min_items=1)
FEATURE_KINDS = (
    "quality",
    "trigger",
    "reliever",
    "flag",
    "unknown",
    "risk",
    "region",
    "pattern",
    "side",
    "history",
    "rash",
    "back_pain",
    "age",
    "duration",
    "severity",
    "dermatome",
)


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid


class Source(Strict):
    title: Text
    publisher: Text
    url: Text


class Region(Strict):
    name: Text
    part: Literal[
        "groin", "thigh", "knee", "buttock", "hip", "back", "lower_leg", "ankle", "foot", "leg"
    ]
    aspect: Literal["front", "back", "inner", "outer", "under", "any"]
    dermatomes: List[Root]
    neighbours: List[Root]
    synonyms: Phrases
    sources: Sources
    vague: bool = False


class RootInfo(Strict):
    skin: Text
    muscles: List[Text]
    reflex: Optional[Text]
    disc: Text
    sources: Sources


def check_feature(feature: str) -> str:
    for part in feature.split("&"):
        kind, _, value = part.strip().lstrip("!").partition(":")
        if kind not in FEATURE_KINDS or not value:
            raise ValueError(f"unknown feature {part.strip()!r}; kinds: {', '.join(FEATURE_KINDS)}")
    return feature


class Finding(Strict):
    feature: Text
    weight: float

    _feature = validator("feature", allow_reuse=True)(check_feature)


class Condition(Strict):
    name: Text
    nerve_root: bool = False
    plain: Text
    distribution: Text
    dermatomes: List[Root]
    triage: Triage
    prior: float = Field(gt=0)
    findings: List[Finding] = Field(min_items=1)
    self_care: List[Text]
    see_doctor: Text
    doctor_may: List[Text]
    sources: Sources


class FlagGroup(Strict):
    intro: Text
    none_button: Text


class TriageWhen(Strict):
    when: Text
    triage: Triage

    _when = validator("when", allow_reuse=True)(check_feature)


# A frame: two or more word groups (see RedFlag.frames).
if TYPE_CHECKING:
    Frame = List[List[str]]
else:
    Frame = conlist(Phrases, min_items=2)


class RedFlag(Strict):
    group: Text
    label: Text
    ask: Text
    triage: Triage
    triage_when: List[TriageWhen] = []
    interrupts: bool
    # Groups whose signs are asked at once when this sign is present ("both legs": the
    # cauda equina signs).
    screen_at_once: List[Text] = []
    # Asked on its own, a reply naming just one side answers "no" (symptoms in both legs).
    one_side_denies: bool = False
    why: Text
    phrases: Phrases
    denials: Phrases
    # Word groups that say the sign when all of them occur close together in one clause, in
    # any order and any inflection ("my foot won't lift" = [[foot], [not lift, won't lift]]).
    frames: List[Frame] = []
    # Words that make the sign likely but not sure: the assistant asks instead of deciding.
    suspected: List[Text] = []
    suspected_frames: List[Frame] = []
    # Words that look like the sign but are not ("legs crossed" is not both legs): they
    # win over the sign's own phrases where they overlap, and say nothing.
    not_the_sign: List[Text] = []
    # Still counts when told as long past ("breast cancer in 2010"); other signs do not.
    lasting: bool = False
    # Findings inside the sign's words are part of it ("numb bum" is not a numb buttock).
    absorbs: List[Literal["body_region", "quality", "trigger", "reliever", "side"]] = []
    sources: Sources


class RedFlags(Strict):
    groups: Dict[str, FlagGroup]
    flags: Dict[str, RedFlag]


class Tip(Strict):
    text: Text
    caveat: Text
    sources: Sources


class RiskFactor(Strict):
    label: Text
    phrases: Phrases
    sources: Sources


class GlossaryEntry(Strict):
    words: Phrases
    answer: Text
    sources: Sources


class Question(Strict):
    slot: Optional[Text] = None
    group: Optional[Text] = None
    text: Optional[Text] = None
    why: Optional[Text] = None
    buttons: List[Text] = []
    ask_when: List[Text] = []

    _ask_when = validator("ask_when", each_item=True, allow_reuse=True)(check_feature)

    @root_validator(skip_on_failure=True)
    def slot_or_group(cls, values):  # noqa: N805 (pydantic validators are classmethods)
        slot, group = values.get("slot"), values.get("group")
        if bool(slot) == bool(group):
            raise ValueError("give exactly one of `slot` or `group`")
        if slot and not (values.get("text") and values.get("why")):
            raise ValueError("a slot question needs `text` and `why`")
        return values


class Questions(Strict):
    sources: Sources
    questions: List[Question] = Field(min_items=1)


class Vocabulary(Strict):
    sources: Sources
    sides: Dict[str, Phrases]
    qualities: Dict[str, Phrases]
    triggers: Dict[str, Phrases]
    relievers: Dict[str, Phrases]
    history: Dict[str, Phrases]
    rash: Phrases
    negation: Dict[
        Literal["preceding", "following", "following_for_flags", "pseudo", "termination"], Phrases
    ]
    trigger_cues: Phrases
    weak_trigger_cues: Phrases
    reliever_cues: Phrases
    yes_words: Phrases
    no_words: Phrases
    unsure_words: Phrases
    # "actually", "I meant": the places named in this message replace the earlier ones.
    correction_cues: Phrases
    misspellings: Dict[str, Text]
    # Lemmas the lookup lemmatizer leaves odd ("ca" of "can't", "calve" of "calves").
    lemma_fixes: Dict[str, Text] = {}
    # A clause with a long-past cue ("years ago", "as a child", "in 2015") and no present
    # cue ("now", "still") is history: only the kinds in long_past_keeps count from it.
    long_past_cues: List[Text] = []
    present_cues: List[Text] = []
    long_past_keeps: List[Text] = []
    weak_reliever_words: List[Text] = []
    region_idioms: Dict[Text, List[Text]] = {}


class TriageText(Strict):
    headline: Text
    advice: Text
    colour: Text


class Care(Strict):
    triage: Dict[Triage, TriageText]
    triage_sources: Sources
    not_a_diagnosis: Text
    doctor_may: Dict[str, Text]
    sources_doctor_may: Sources


class Responses(Strict):
    """The response catalogue of one language (responses/<language>.yml)."""

    language: Text
    messages: Dict[str, Text]
    buttons: Dict[str, List[Text]]
    triage_reasons: Dict[str, Text]
    reasons: Dict[str, Dict[str, Text]]  # cause id -> feature -> why it fits
    sign_questions: Dict[str, Text]  # red flag -> the sign asked on its own
    sign_suspected: Dict[str, Text]  # red flag -> a suspected sign, to confirm
    safety_net: Dict[str, Text]  # triage level -> what to do if a sign appears
    tells_apart: Dict[str, Text]  # cause -> what would tell it from the others


class Myotome(Strict):
    """A sign of what the leg cannot do, and the roots whose muscles it points to."""

    roots: List[Root] = Field(min_items=1)
    flag: Optional[Text] = None  # the red flag that says the same (foot drop)
    phrases: Phrases
    sources: Sources
