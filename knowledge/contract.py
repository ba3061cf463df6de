"""Names fixed by ../shared/CONTRACT.md: widgets, bridges and the evaluation rely on them."""

TRIAGE_LEVELS = ("self_care", "see_doctor", "urgent", "emergency")  # least to most urgent

ROOTS = ("L1", "L2", "L3", "L4", "L5", "S1", "S2")

CAUSE_IDS = (
    "herniated_disc", "sciatica", "spinal_stenosis", "shingles", "postherpetic_neuralgia",
    "diabetic_neuropathy", "cauda_equina_syndrome", "dvt", "peripheral_artery_disease",
    "acute_limb_ischemia", "meralgia_paresthetica", "peroneal_nerve_palsy", "nerve_trauma",
    "spinal_tumor_or_infection",
)

RED_FLAG_IDS = (
    "saddle_numbness", "bladder_bowel_dysfunction", "bilateral_leg_symptoms",
    "progressive_weakness", "foot_drop", "fever", "major_trauma", "cancer_history",
    "unexplained_weight_loss", "calf_swelling", "chest_pain_or_breathlessness",
    "cold_pale_leg", "immunosuppression", "night_pain",
)

SIDES = ("left", "right", "both")
QUALITIES = ("sharp", "shooting", "burning", "electric", "aching", "throbbing", "cramping",
             "numbness", "tingling", "weakness")
TRIGGERS = ("sitting", "standing", "walking", "bending", "twisting", "lifting", "coughing",
            "sneezing", "lying_down", "night", "touch")
RELIEVERS = ("rest", "sitting", "bending_forward", "standing_still", "lying_down", "walking",
             "heat", "cold", "medication")

# Interview slots of CONTRACT section 3 (plus age and back pain, which the interview asks).
FINDING_SLOTS = ("pain_location", "pain_side", "pain_quality", "pain_triggers",
                 "pain_relievers", "pain_duration_days", "pain_severity", "chickenpox_history",
                 "diabetes_history", "rash", "age", "back_pain")
