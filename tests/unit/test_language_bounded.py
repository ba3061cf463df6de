"""Reading cost grows with the length of a message, no faster: every step works on one
clause, and no clause is longer than MAX_CLAUSE_TOKENS, whatever the message looks like."""

import datetime as dt

from language.extract import extractor
from language.pipeline import MAX_CLAUSE_TOKENS, clauses

STORY = (
    "my left calf is swollen and I get out of breath on the stairs, the pain shoots "
    "down the back of my thigh when I sit and I can't lift my foot "
)


def _doc(text):
    nlp = extractor().nlp
    return nlp.get_pipe("sentencizer")(nlp.get_pipe("lemmatizer")(nlp.make_doc(text)))


def test_no_clause_is_longer_than_the_bound_even_without_punctuation():
    doc = _doc("numb " * 500 + "and tingly " * 300)
    pieces = list(clauses(doc))
    assert max(len(piece) for piece in pieces) <= MAX_CLAUSE_TOKENS
    assert sum(len(piece) for piece in pieces) == len(doc)  # every token read exactly once


def test_a_long_message_says_what_its_parts_say():
    """Clause-local reading: a story repeated 50 times gives the entities of one copy."""

    def kinds(text):
        return {
            (e["entity"], e["value"], e.get("role"))
            for e in extractor().entities(text, today=dt.date(2024, 6, 10))
            if e["entity"] not in ("duration_days", "severity", "age", "number")
        }

    once = kinds(STORY + ".")
    assert once >= {
        ("red_flag", "calf_swelling", None),
        ("red_flag", "chest_pain_or_breathlessness", None),
        ("red_flag", "foot_drop", None),
    }
    assert kinds((STORY + ". ") * 50) == once
    assert kinds(STORY * 50) == once  # one run-on sentence of 1,400 words
