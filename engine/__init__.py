"""The reasoning core: plain Python, no Rasa imports. Findings in, explained assessment out."""
