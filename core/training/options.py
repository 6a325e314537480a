"""One-line help for every model and training option, shared by the CLI and the app's Train page."""

from __future__ import annotations

MODEL_HELP = {
    "emb_dim": "word embedding size (paper: 1000)",
    "hidden": "LSTM cells per layer (paper: 1000)",
    "layers": "LSTM layers in the encoder and in the decoder (paper: 4; deeper was clearly better)",
    "dropout": "dropout on embeddings, between layers and before the output layer (paper: none)",
    "init_range": "weights start uniform in [-r, r] (paper 3.4: 0.08)",
}

TRAIN_HELP = {
    "optimizer": "adam (fast on small data) or sgd (the paper's recipe)",
    "lr": "learning rate (Adam: about 1e-3; paper SGD: 0.7)",
    "schedule": "constant, or halving: halve the rate every half epoch after epoch 5 (paper 3.4)",
    "batch_size": "sentences per batch and process (paper: 128)",
    "clip_norm": "rescale the gradient when its norm exceeds this (paper 3.4: 5)",
    "max_len": "training pairs with more tokens on either side are left out",
    "eval_every": "steps between dev evaluations (perplexity, greedy BLEU)",
    "checkpoint_every": "steps between checkpoints (weights and exact-resume state)",
    "log_every": "steps between training-loss records in metrics.jsonl",
    "bucket_pool": "batches sorted together by length: larger means less padding, less shuffling",
    "dev_bleu_sentences": "dev sentences translated for the BLEU curve",
    "seed": "seed for the initial weights, dropout and data order",
}
