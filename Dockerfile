# Seq2Seq Explorer on a CUDA-capable PyTorch base (works on CPU too).
#   docker build -t s2s-explorer .
#   docker run --gpus all -p 127.0.0.1:8501:8501 -v "$PWD/runs:/app/runs" s2s-explorer   # the app
# The app listens on 0.0.0.0 inside the container (or the port could not be published), so the -p
# address decides who reaches it: 127.0.0.1 is this machine only; a bare -p 8501:8501 is every
# interface, and whoever reaches it can train and upload (put a proxy with a login in front).
#   docker run --gpus all -v "$PWD/runs:/app/runs" s2s-explorer s2s train --data grammar --out runs/rev
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    S2S_RUNS_DIR=/app/runs \
    S2S_DATA_DIR=/app/data/uploads

WORKDIR /app
# Dependencies first (a layer that survives code edits). torch comes from the base image:
# the project's range (torch>=2.2) accepts it, so pip does not download another build.
COPY pyproject.toml README.md ./
RUN mkdir -p core explorer && touch core/__init__.py explorer/__init__.py \
    && pip install . && pip uninstall -y seq2seq-explorer
COPY . .
RUN pip install --no-deps -e . && mkdir -p runs data/uploads

EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health')"
CMD ["streamlit", "run", "Home.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
