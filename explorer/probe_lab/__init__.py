"""The Probe Lab page (pages/6_Probe_Lab.py): linear probes, margins by tag, neighbours, surgery."""
