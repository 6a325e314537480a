"""The Train page (pages/2_Train.py): the options form, the `s2s train` command, the live monitor."""
