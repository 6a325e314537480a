"""Analysis of the encoder's thought vectors (Sutskever et al. 2014, section 3.5 and Figure 2).

suites        probe suites: the TSV format of docs/ARCHITECTURE.md and the built-in grammar suites
probe_scores  cosine margins with bootstrap intervals; two runs side by side; geometry of a suite
geometry      silhouette, nearest-neighbour retrieval, linear probes with a control task
projection    PCA / UMAP / t-SNE projectors (scikit-learn contract), shared axes, Procrustes,
              faithfulness (k-nearest-neighbour preservation)
trajectories  the encoder's path through state space, token by token, in shared axes
surgery       decoding from edited states: interpolation, the active -> passive offset
neighbours    cosine nearest neighbours over an embedded corpus
"""
