"""The seq2seq engine: corpora, tokenizers, the LSTM encoder-decoder, training, search,
evaluation and thought vectors. No Streamlit, no plotly: importable and testable alone."""

__version__ = "0.1.0"
