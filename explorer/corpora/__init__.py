"""The Data page (pages/1_Data.py): corpora uploaded, validated by the engine, saved and summarised."""
