#!/usr/bin/env bash
# The one prepared GPU run for issue #5 (README, "GPU"): the default model on CUDA (half precision),
# `fishbot bench` and `fishbot eval` there, results as JSON under $OUT. Sized for the device tool:
# the working tree (11 MB model included) travels, nothing is fetched, about a minute of device time.
#   run(command="bash scripts/device_check.sh", timeout_s=300)
# The machine's own python3 already holds torch, sentence-transformers, scikit-learn, click and PyYAML.
set -euo pipefail
OUT=${OUT:-/tmp/fishbot-device}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" FISHBOT_CACHE="$OUT/cache"
"$PY" -c "import torch; print('cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '-')" | tee "$OUT/device.txt"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >> "$OUT/device.txt" 2>/dev/null || true
"$PY" -m bot bench --json | tee "$OUT/bench_default.json"
"$PY" -m bot eval tests/data/eval.yaml --json > "$OUT/eval_default.json"
"$PY" -c "import json; r=json.load(open('$OUT/eval_default.json')); print('eval F1', r['symptoms']['f1'])"
rm -rf "$OUT/cache"
