"""The run: its folder layout, config, status, loading for inference, data and evaluation."""
