"""Names fixed by ../shared/CONTRACT.md (widgets, bridges and the evaluation rely on them),
and the interview's own slot names. Every other module and the generated domain
(`make domain`) take their ids from here."""

from typing import Dict, Optional, Tuple

TRIAGE_LEVELS = ("self_care", "see_doctor", "urgent", "emergency")  # least to most urgent

ROOTS = ("L1", "L2", "L3", "L4", "L5", "S1", "S2")

CAUSE_IDS = (
    "herniated_disc",
    "sciatica",
    "spinal_stenosis",
    "shingles",
    "postherpetic_neuralgia",
    "diabetic_neuropathy",
    "cauda_equina_syndrome",
    "dvt",
    "peripheral_artery_disease",
    "acute_limb_ischemia",
    "meralgia_paresthetica",
    "peroneal_nerve_palsy",
    "nerve_trauma",
    "spinal_tumor_or_infection",
)

RED_FLAG_IDS = (
    "saddle_numbness",
    "bladder_bowel_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_weakness",
    "foot_drop",
    "fever",
    "major_trauma",
    "cancer_history",
    "unexplained_weight_loss",
    "calf_swelling",
    "chest_pain_or_breathlessness",
    "cold_pale_leg",
    "immunosuppression",
    "night_pain",
)

SIDES = ("left", "right", "both")

# Interview slots of CONTRACT section 3 (plus age and back pain, which the interview asks),
# each with its Rasa slot type and, for numbers, the largest sensible value.
SlotType = Tuple[str, Optional[float]]
FINDING_SLOT_TYPES: Dict[str, SlotType] = {
    "pain_location": ("list", None),
    "pain_side": ("text", None),
    "pain_quality": ("list", None),
    "pain_triggers": ("list", None),
    "pain_relievers": ("list", None),
    "pain_duration_days": ("float", 100000),
    "pain_severity": ("float", 10),
    "chickenpox_history": ("bool", None),
    "diabetes_history": ("bool", None),
    "rash": ("bool", None),
    "age": ("float", 120),
    "back_pain": ("bool", None),
}
FINDING_SLOTS = tuple(FINDING_SLOT_TYPES)

# Slots the interview keeps for itself, filled from each message like the findings.
STEERING_SLOT_TYPES: Dict[str, SlotType] = {
    "risk_factors": ("list", None),
    "motor_signs": ("list", None),  # what the leg cannot do (knowledge/data/myotomes.yml)
    "unanswered": ("list", None),  # questions the patient could not answer
    "vague_location": ("list", None),  # "my foot": understood, still asked where exactly
    "flag_followup": ("text", None),  # a group of warning signs asked one at a time
    "suspected_flag": ("text", None),  # a warning sign the words suggest, to confirm
}
# Slots derived from the others after every message (CONTRACT section 3) and the form's
# count of replies that missed the question.
DERIVED_SLOT_TYPES: Dict[str, SlotType] = {
    "dermatomes": ("list", None),
    "red_flags": ("list", None),
    "misunderstood": ("float", 100),
    "acknowledged": ("list", None),  # warning signs already acknowledged
}

FORM = "symptom_form"
EXTRACT_ACTION = "action_extract_findings"
VALIDATE_ACTION = f"validate_{FORM}"
ASK_ACTION_PREFIX = "action_ask_"
# Slots the form may request: a question is asked by action_ask_<slot>.
ASKED_SLOTS = FINDING_SLOTS + RED_FLAG_IDS

# Intents the in-process adapters rely on.
EMERGENCY_INTENT = "report_emergency"
INFORM_INTENT = "inform"
NLU_FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier: a message it was unsure of
EMERGENCY_RESPONSE = "utter_emergency_assessment"

# The pain diary kept over days (domain/diary.yml, actions/diary.py). A check-in is a form of
# its own; its answers are read with the interview's extractor into the interview slot each
# question stands for (None: the question about new warning signs, read as any of them).
DIARY_FORM = "diary_form"
DIARY_VALIDATE_ACTION = f"validate_{DIARY_FORM}"
DIARY_QUESTIONS: Dict[str, Optional[str]] = {
    "diary_severity": "pain_severity",
    "diary_where": "pain_location",
    "diary_feel": "pain_quality",
    "diary_helped": "pain_relievers",
    "diary_new": None,
}
DIARY_ENTRIES_SLOT = "diary_entries"  # a list of engine.diary_log.Entry.to_json() dicts
DIARY_DRAFT_SLOT = "diary_draft"  # the check-in read so far, as interview-shaped slots
DIARY_REMINDER_SLOT = "diary_reminder_time"  # "HH:MM" while the daily reminder is on
LOG_DIARY_INTENT = "log_diary"
DIARY_SAME_INTENT = "diary_same"  # "same as before"
REMINDER_INTENT = LOG_DIARY_INTENT  # a daily reminder starts a check-in...
REMINDER_ENTITY = "diary_reminder"  # ...with this entity, so the check-in says why
REMINDER_NAME_PREFIX = "diary_reminder_"  # + a hash of the conversation id (never the id)
