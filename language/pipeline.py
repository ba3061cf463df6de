"""The spaCy pipeline (tokens, lookup lemmas, sentences) and the bounded pieces a message is
read in. Every later step works on one clause at a time and a clause has at most
MAX_CLAUSE_TOKENS tokens, so the cost of reading a message grows with its length, no faster.
"""

import re
from typing import Dict, Iterator, List

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MAX_CLAUSE_TOKENS = 40
# Words that start a new clause: what follows "but" is read apart from what came before
# ("I had a DVT years ago, but now my calf is swollen").
CLAUSE_STARTS = {"but", "however", "although", "though", "whereas", "except"}
CLAUSE_MARKS = {".", ";", "!", "?", "\n", ":"}
SOFT_BREAKS = {",", "and", "then", "so", "-", "(", ")"}
_WORD = re.compile(r"[a-z']+")


def build_nlp() -> Language:
    """A blank English pipeline with spaCy's lookup lemmatizer (spacy-lookups-data)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    nlp.initialize()
    return nlp


class Keys:
    """The matching key of a token: its lemma, lower case, with the lemmatizer's odd cases
    fixed from the knowledge base ("ca" of "can't" is "can", "calve" of "calves" is "calf")."""

    def __init__(self, nlp: Language, fixes: Dict[str, str]) -> None:
        self.nlp = nlp
        self.fixes = {k.lower(): v.lower() for k, v in fixes.items()}

    def of(self, token: Token) -> str:
        lemma = (token.lemma_ or token.lower_).lower()
        return self.fixes.get(token.lower_, self.fixes.get(lemma, lemma))

    def set_norms(self, doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = self.of(token)
        return doc

    def phrase(self, phrase: str) -> List[str]:
        """The keys of a phrase, read the same way as the patient's words."""
        doc = self.nlp.get_pipe("lemmatizer")(self.nlp.make_doc(phrase.lower()))
        return [self.of(token) for token in doc]


def _split_long(span: Span) -> Iterator[Span]:
    """Pieces of at most MAX_CLAUSE_TOKENS tokens, cut at a comma or "and" where possible."""
    start = span.start
    while span.end - start > MAX_CLAUSE_TOKENS:
        limit = start + MAX_CLAUSE_TOKENS
        soft = [i for i in range(start + 1, limit) if span.doc[i].lower_ in SOFT_BREAKS]
        cut = soft[-1] if soft else limit
        yield span.doc[start:cut]
        start = cut
    if span.end > start:
        yield span.doc[start : span.end]


def clauses(doc: Doc) -> Iterator[Span]:
    """Sentences, cut again before "but"/"however" and after ";", each piece bounded."""
    for sentence in doc.sents:
        start = sentence.start
        for i in range(sentence.start, sentence.end):
            word = doc[i].lower_
            if i > start and word in CLAUSE_STARTS:
                yield from _split_long(doc[start:i])
                start = i
            elif word in CLAUSE_MARKS and i + 1 < sentence.end:
                yield from _split_long(doc[start : i + 1])
                start = i + 1
        if sentence.end > start:
            yield from _split_long(doc[start : sentence.end])


def words(text: str) -> List[str]:
    return _WORD.findall(text.lower())
