#!/usr/bin/env bash
# The one prepared check for a lent GPU machine (the `device` tool), for the CUDA paths CI cannot
# reach: bf16 autocast and cuDNN in training, decoding, evaluation and the probes on the GPU.
#
#   device run: command="bash scripts/device_check.sh", timeout_s=540
#   here, as a dry run on the CPU:  DEVICE=cpu PRESET=tiny OUT=/tmp/dc bash scripts/device_check.sh
#
# Uses the machine's python3 (its torch, sentencepiece, sacrebleu, safetensors and scikit-learn);
# nothing is installed or downloaded. Writes $OUT/device_check.log and $OUT/*.json.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/device_check}
DEVICE=${DEVICE:-cuda}
PRESET=${PRESET:-fast}
PY=${PY:-python3}
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1
mkdir -p "$OUT"
work=$(mktemp -d)
s2s() { "$PY" -m core "$@"; }
step() { echo; echo "== $* ($(date +%T))"; }
{
  step "machine"
  "$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(),
torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"
  step "corpus"
  s2s corpus grammar --out "$work/g"
  for direction in reverse no-reverse; do
    step "train $PRESET --$direction-source on $DEVICE"
    time s2s train --data "$work/g" --out "$work/$direction" --preset "$PRESET" \
      --"$direction"-source --device "$DEVICE" --no-progress
    cp "$work/$direction/metrics.jsonl" "$OUT/metrics_$direction.jsonl"
    cp "$work/$direction/status.json" "$OUT/status_$direction.json"
  done
  step "resume for 100 more steps on $DEVICE"
  total=$("$PY" -c "import json; print(json.load(open('$work/reverse/status.json'))['step'] + 100)")
  s2s train --out "$work/reverse" --resume --steps "$total" --device "$DEVICE" --no-progress
  step "eval (beam 5) on $DEVICE"
  s2s eval --run "$work/reverse" --test "$work/g/test.tsv" --device "$DEVICE" > "$OUT/eval_reverse.json"
  s2s eval --run "$work/no-reverse" --test "$work/g/test.tsv" --device "$DEVICE" > "$OUT/eval_forward.json"
  head -c 600 "$OUT/eval_reverse.json"; echo
  step "translate"
  printf "John admires Mary\nMary is admired by John\n" | s2s translate --run "$work/reverse" --beam 5 --nbest 2 --device "$DEVICE"
  step "probe, reversed vs forward"
  s2s probe --run "$work/reverse" --suite builtin:voice --compare "$work/no-reverse" --device "$DEVICE" > "$OUT/probe_voice.json"
  "$PY" -c "import json; d=json.load(open('$OUT/probe_voice.json')); print({k: d[k] for k in ('difference', 'difference_low', 'difference_high')})"
  step "done"
} 2>&1 | tee "$OUT/device_check.log"
rm -rf "$work"
