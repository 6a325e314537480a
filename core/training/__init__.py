"""Training: configs and presets, the learning-rate schedule, the trainer loop, checkpoints,
distributed set-up, and the run session that ties them to a run folder."""
