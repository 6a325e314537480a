"""The Compare page (pages/5_Compare.py): several runs' curves, BLEU by length and probe scores."""
