"""Clinical language understanding: a blank spaCy English pipeline whose matchers and
negation cues come from the knowledge base. Plain Python; the Rasa component adapts it."""
