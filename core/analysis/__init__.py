"""Analysis of the encoder's thought vectors (Sutskever et al. 2014, section 3.5 and Figure 2).

suites        probe suites: the TSV format of docs/ARCHITECTURE.md and the built-in grammar suites
bootstrap     the 95% bootstrap over sentence families (N_BOOT, INTERVAL_NOTE: not over trainings)
probe_scores  cosine margins with bootstrap intervals; two runs side by side; geometry of a suite
baselines     surface baselines: bag of words, bag of bigrams, the untrained encoder (step 0)
probe_report  a margin beside its baselines (lead over the best), split by tag, summarised over seeds
geometry      silhouette, nearest-neighbour retrieval, linear probes with a control task
projection    PCA / UMAP / t-SNE projectors (scikit-learn contract), shared axes, Procrustes,
              faithfulness (k-nearest-neighbour preservation)
trajectories  the encoder's path through state space, token by token, in shared axes
surgery       decoding from edited states: interpolation, the active -> passive offset
neighbours    cosine nearest neighbours over an embedded corpus
"""
