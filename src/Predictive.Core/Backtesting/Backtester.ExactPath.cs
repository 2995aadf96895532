using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>The exact path: bars the screen and the fast path cannot settle run the real policy, planner, executor and venue on decimal holdings.</summary>
public sealed partial class Backtester
{
    private sealed partial class Run
    {
        /// <summary>After fast-path trades the double mirror leads; the exact path continues from it.</summary>
        private void SyncHoldings()
        {
            if (!_holdingsStale)
            {
                return;
            }

            var q = new Dictionary<string, decimal>(StringComparer.Ordinal) { [_m.QuoteAsset] = (decimal)_cash };
            for (var a = 0; a < _n; a++)
            {
                if (_qty[a] != 0)
                {
                    q[_m.Assets[a]] = (decimal)_qty[a];
                }
            }

            _holdings = new Holdings(q);
            _holdingsStale = false;
        }

        /// <summary>
        /// The bar the screen could not settle, through the shared composition: snapshot, due slices (re-guarded),
        /// stranded sales, the guarded policy, planner and executor.
        /// </summary>
        private async Task DecideAndTradeAsync(int i, int t, CancellationToken ct)
        {
            var history = await HistoryAsync(t, ct).ConfigureAwait(false);
            _clock.Set(_m.Panel.Timestamps[t] + _m.Panel.Interval.Length);
            var market = await _pipeline.SnapshotAsync(ct).ConfigureAwait(false);
            var input = new RebalanceStepInput
            {
                Bar = i,
                Holdings = _holdings,
                Market = market,
                History = history,
                Initial = i == 0,
                Targets = async (due, token) =>
                {
                    if (due.Result is { } slices)
                    {
                        Record(i, market, slices);
                    }

                    _holdings = due.Holdings;
                    // A sale is a trade too: not while a guard holds the market back; it waits for the next exact bar.
                    var sold = _exitDue && !due.GuardFired ? await SellStrandedAsync(i, t, market, token).ConfigureAwait(false) : null;
                    var (assets, target, risk) = Active(market, sold);
                    return new StepTargets(_holdings, assets, target, risk);
                },
            };
            var step = await _pipeline.StepAsync(input, _state, ct).ConfigureAwait(false);

            var decision = step.Decision;
            _details.Add(decision);
            _decisions[i] = new BacktestDecision(i, decision.Trade, decision.Reason, decision.Drift.L1, decision.Drift.MaxAbs, decision.Drift.TrackingError, _details.Count - 1);
            if (step.Trades is { } trades)
            {
                Record(i, market, trades);
            }

            _holdings = step.Holdings;
            _cash = (double)_holdings.Quantity(_m.QuoteAsset);
            for (var a = 0; a < _n; a++)
            {
                _qty[a] = (double)_holdings.Quantity(_m.Assets[a]);
                if (_qty[a] == 0)
                {
                    SetStranded(a, false);
                }
            }
        }

        private void Record(int i, VenueSnapshot market, PlanExecution done)
        {
            _holdings = done.Holdings;
            foreach (var f in done.Fills)
            {
                var notional = f.AmountIn * (decimal)market.ReferencePrice(f.Order.AssetIn);
                _trades.Add(new BacktestTrade(i, f.Time, f.Order.AssetIn, f.Order.AssetOut, f.AmountIn, f.AmountOut, notional, f.FeeQuote, f.ImpactQuote, f.GasQuote, f.Status));
            }
        }

        private async Task<IReadOnlyList<VenueSnapshot>> HistoryAsync(int t, CancellationToken ct)
        {
            if (_o.Guards.Count == 0 || _o.GuardHistoryBars == 0)
            {
                return [];
            }

            // Earlier bars' pools are rebuilt from their closes (the venue re-anchors each bar), oldest first.
            var list = new List<VenueSnapshot>(_o.GuardHistoryBars);
            for (var h = Math.Max(0, t - _o.GuardHistoryBars); h < t; h++)
            {
                _clock.Set(_m.Panel.Timestamps[h] + _m.Panel.Interval.Length);
                list.Add(await _pipeline.SnapshotAsync(ct).ConfigureAwait(false));
            }

            return list;
        }
    }
}
