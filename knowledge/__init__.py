"""The medical knowledge base: data files in `data/`, a schema, and a validating loader."""

from knowledge.loader import Knowledge, KnowledgeError, knowledge, load_knowledge

__all__ = ["Knowledge", "KnowledgeError", "knowledge", "load_knowledge"]
