"""The Study page (pages/7_Study.py): study folders, the `s2s study` command, the report's figures."""
