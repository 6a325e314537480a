"""Parallel corpora: reading, normalising, filtering, splitting and describing sentence pairs."""
