"""Thin Rasa adapters that run inside the Rasa server: the clinical NLU components, the
emergency interrupt policy, the NLG that writes the emergency assessment, and a fixed
socket.io channel. Everything here must work while the action server is down."""
