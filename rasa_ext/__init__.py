"""Thin Rasa adapters that run inside the Rasa server: the clinical NLU components, the
emergency interrupt policy and the NLG that writes the emergency assessment. Everything
here must work while the action server is down."""
