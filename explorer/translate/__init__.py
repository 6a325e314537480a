"""The Translate page (pages/3_Translate.py): n-best tables, unknown words, attention heatmaps."""
