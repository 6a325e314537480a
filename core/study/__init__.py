"""Studies, not anecdotes: several seeds of several arms, trained alike, and one report.

arms          what each arm changes (forward, reversed, reversed + attention)
layout        the study folder: study.json, runs/ARM-sSEED, report.json, report.html
stats         means over seeds with 95% t-intervals, paired differences against forward
curves        metrics.jsonl curves on a shared step grid, steps to a dev BLEU threshold
measure       one run's numbers: dev/test scores, BLEU by length, loss by position, probes
compare       across runs: CKA between arms against the seed baseline, Figure 2 maps
report        report.json from a study folder's finished runs
summary       the summary sentences, computed from the numbers
figures       the report's figures as plain plotly JSON dicts
html          report.html: self-contained, plotly.js inlined, no network
runner        train every arm and seed as `s2s train` subprocesses; a killed study resumes
"""
