"""Rasa SDK action server: thin adapters over the engine, split by concern."""
