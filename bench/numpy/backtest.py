#!/usr/bin/python3
"""numpy reference of the backtester's benchmark (loop over bars, numpy over assets), for the policies that trade to
the target: band (max |w - w*| > band), band-l1 (sum |w - w*| > band), calendar (every N bars) and full (every bar).

Same backtest as tests/Predictive.Benchmarks/Backtesting/BacktestBenchmarks.cs on the same data (prices.bin: float64
[bars, assets] in quote units; gas.bin: float64 gas per swap per bar, quote units): start in cash, buy the 1/N target at
bar 0, then trade back to the target whenever the policy says so (never when sum |w - w*| <= 1e-9, already on target).
The params file names the policy ("policy": band | band-l1 | calendar | full, with "band" or "every"; no "policy"
means band). A trade follows the trade planner: legs below the
minimum trade are skipped; sells go first through each asset's constant-product pool (reserves depth/p and depth,
fee from the input); buys are funded by cash plus sell proceeds minus gas, scaled down to fit; gas is paid per swap.

usage: backtest.py <data dir> <params json> [repeats]   -> prints one JSON line
"""
import json
import sys
import time

import numpy as np


def due(policy, p, t, drift):
    """Whether the policy trades at bar t (t > 0) with the given |w - w*|."""
    if drift.sum() <= 1e-9:
        return False
    if policy == "band":
        return drift.max() > p["band"]
    if policy == "band-l1":
        return drift.sum() > p["band"]
    if policy == "calendar":
        return t % p["every"] == 0
    if policy == "full":
        return True
    raise ValueError(f"unknown policy {policy!r}")


def run(prices, gas, p):
    bars, n = prices.shape
    depth, fee = p["depth"], p["fee_bps"] / 1e4
    policy, min_trade = p.get("policy", "band"), p["min_trade"]
    limit = p["max_impact_bps"] / 1e4
    max_quote_in = limit * depth / ((1 - limit) * (1 - fee)) * 0.999999
    target = np.full(n, 1.0 / n)
    qty = np.zeros(n)
    cash = float(p["initial"])
    equity = np.empty(bars)
    trades = 0
    for t in range(bars):
        px = prices[t]
        value = cash + qty @ px
        drift = np.abs(qty * px / value - target)
        if t == 0 or due(policy, p, t, drift):
            goal = target * value
            delta = goal - qty * px
            floor = max(min_trade, value * 1e-9)
            g = gas[t]
            sell = (delta <= -floor) & (qty > 0)
            if sell.any():
                units = np.minimum(qty[sell], -delta[sell] / px[sell])
                in_fee = units * (1 - fee)
                out = in_fee * depth / (depth / px[sell] + in_fee)
                qty[sell] -= units
                cash += out.sum() - g * sell.sum()
                trades += int(sell.sum())
            buy = delta >= floor
            if buy.any():
                want = np.minimum(delta[buy], max_quote_in)
                spendable = cash - g * buy.sum()
                scale = 0.0 if spendable <= 0 or want.sum() <= 0 else min(1.0, spendable / want.sum())
                amount = want * scale
                keep = amount >= floor
                a_fee = amount[keep] * (1 - fee)
                got = a_fee * (depth / px[buy][keep]) / (depth + a_fee)
                idx = np.flatnonzero(buy)[keep]
                qty[idx] += got
                cash -= (amount[keep] + g).sum()
                trades += int(keep.sum())
        equity[t] = cash + qty @ px
    return equity, trades


def main():
    folder, params_path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with open(params_path) as f:
        p = json.load(f)
    prices = np.fromfile(f"{folder}/prices.bin", dtype="<f8").reshape(p["bars"], p["assets"])
    gas = np.fromfile(f"{folder}/gas.bin", dtype="<f8")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        equity, trades = run(prices, gas, p)
        times.append(time.perf_counter() - start)
    print(json.dumps({"final_equity": float(equity[-1]), "trades": trades, "seconds_median": float(np.median(times)),
                      "seconds_min": float(min(times)), "repeats": repeats, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
