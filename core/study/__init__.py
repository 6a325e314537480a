"""Studies, not anecdotes: several seeds of several arms, trained alike, and one report.

arms              what each arm changes (forward, reversed, reversed + attention)
layout            the study folder: study.json, runs/ARM-sSEED, measures/, report.json, report.html
metrics           the metrics, splits and primary comparisons a study compares
stats             means over seeds with 95% t-intervals and t-tests, paired differences, bands
multiplicity      every comparison a Test: Holm for the primary ones, Benjamini-Hochberg for the rest
power             the seeds a paired t-test would need for an inconclusive primary comparison
curves            metrics.jsonl curves on a shared step grid, steps to a dev BLEU threshold
measure           one run's numbers (RunMeasure): dev/test scores, BLEU by length, loss by position, probes
records           a finished run's record (RunRecord), one value of it across seeds
scores            the scores section: every split and metric over seeds, each arm against forward
primary           the primary comparisons, with the seeds an inconclusive one would need
learning          learning curves over seeds and the steps to a dev BLEU threshold
by_length         BLEU by source length over seeds (Figure 3)
target_positions  loss by target position over seeds, early against late positions
probe_margins     probe margins over seeds, at the end and over training
paired_bleu       sacrebleu's paired bootstrap between arms, seed by seed
compare           what crosses runs: CKA vectors, Figure 2 maps
cka_seeds         CKA between arms against two seeds of one arm
alike             what the arms of a seed really shared (start records)
provenance        what every figure states: seeds, config hash, data, signatures
summary           the summary sentences, computed from the numbers and their adjusted tests
report_file       report.json: the typed, versioned Report, read and written
report            a Report from a study folder's finished runs
runner            train every arm and seed as `s2s train` subprocesses; a killed study resumes
"""
