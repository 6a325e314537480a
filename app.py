"""Seq2Seq Explorer: entrypoint and Home page (`streamlit run app.py`)."""

import streamlit as st

from explorer.run_table import list_runs, runs_dir, runs_frame

st.set_page_config(page_title="Seq2Seq Explorer", page_icon=":material/hub:", layout="wide")
st.title("Seq2Seq Explorer")
st.markdown(
    "Train deep LSTM encoder-decoders (Sutskever, Vinyals & Le, 2014), with and without the "
    "source-reversal trick. Translate with beam search. Project the encoder's single *thought vector* "
    "to see what it keeps: meaning across active/passive voice, and word order."
)

root = runs_dir()
runs = list_runs(root)
st.subheader("Runs")
if not runs:
    st.info(
        f"No runs yet in `{root}`. Train one with `s2s train --data grammar --out {root}/rev --preset fast`."
    )
else:
    st.dataframe(runs_frame(runs), hide_index=True, use_container_width=True)
