using Predictive.Core.Rebalancing;
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

        /// <summary>The bar the screen could not settle: snapshot, pending slices, the real policy, planner and executor.</summary>
        private async Task DecideAndTradeAsync(int i, int t, bool pendingDue, CancellationToken ct)
        {
            var history = await HistoryAsync(t, ct).ConfigureAwait(false);
            _clock.Set(_m.Panel.Timestamps[t] + _m.Panel.Interval.Length);
            var market = await _venue.GetSnapshotAsync(ct).ConfigureAwait(false);
            if (pendingDue && _pending is { } pending)
            {
                var done = await _executor.ExecuteAsync(pending.Plan, t - pending.Bar, _holdings, market, ct).ConfigureAwait(false);
                Record(i, market, done);
            }

            var sold = _exitDue ? await SellStrandedAsync(i, t, market, ct).ConfigureAwait(false) : null;
            var (assets, target, risk) = Active(market, sold);
            var context = new RebalanceContext
            {
                Bar = i,
                Assets = assets,
                CurrentWeights = _holdings.Weights(assets, market),
                TargetWeights = target,
                PortfolioValueQuote = _holdings.ValueQuote(market),
                Market = market,
                Risk = risk,
                History = history,
            };
            var decision = i == 0 ? _initial.Decide(context) : _policy.Decide(context);
            if (i == 0)
            {
                decision = decision with { Explanation = "initial investment of the starting cash in the first target: " + decision.Explanation };
            }

            _details.Add(decision);
            _decisions[i] = new BacktestDecision(i, decision.Trade, decision.Reason, decision.Drift.L1, decision.Drift.MaxAbs, decision.Drift.TrackingError, _details.Count - 1);
            if (decision.Trade)
            {
                // A new decision supersedes slices still pending from an older plan.
                var plan = _planner.Plan(market, _holdings, assets, decision.NewWeights);
                _pending = plan.BarCount > 1 ? (plan, t) : null;
                var done = await _executor.ExecuteAsync(plan, 0, _holdings, market, ct).ConfigureAwait(false);
                Record(i, market, done);
            }
            else if (pendingDue && _pending is { } p && t - p.Bar >= p.Plan.BarCount - 1)
            {
                _pending = null;
            }

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

        private void Record(int i, VenueSnapshot market, ExecutionResult done)
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
                list.Add(await _venue.GetSnapshotAsync(ct).ConfigureAwait(false));
            }

            return list;
        }
    }
}
