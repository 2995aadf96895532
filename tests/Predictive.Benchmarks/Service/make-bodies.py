#!/usr/bin/env python3
"""Writes request bodies for the HTTP load runs: one 20-asset portfolio, and 1,000 of them in one request,
with FEATURES features per asset (the served default model's count, see run-http.sh).
usage: make-bodies.py OUT_DIR FEATURES"""
import json
import random
import sys

out = sys.argv[1]
rng = random.Random(42)
FEATURES = int(sys.argv[2])
ASSETS = 20


def portfolio(i):
    return {
        "id": f"p{i}",
        "assets": [f"A{a}" for a in range(ASSETS)],
        "currentWeights": [1.0 / ASSETS] * ASSETS,
        "features": [[round(rng.uniform(-0.5, 0.5), 6) for _ in range(FEATURES)] for _ in range(ASSETS)],
    }


with open(f"{out}/single.json", "w", encoding="utf-8") as f:
    json.dump({"portfolios": [portfolio(0)]}, f)
with open(f"{out}/batch1000.json", "w", encoding="utf-8") as f:
    json.dump({"portfolios": [portfolio(i) for i in range(1000)]}, f)
