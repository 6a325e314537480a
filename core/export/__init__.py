"""Exports of runs to other tools' formats (TensorBoard: core.export.tensorboard)."""
