"""Home (Home.py): the first visit's guide, the runs table, Reproduce Figure 2 and its estimate."""
