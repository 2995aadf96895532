using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The rule for assets that stop trading (docs/backtesting.md): an asset without a price gets target 0; a holding of
/// it is kept at its last price, frozen for the policy, sold at the first bar it trades again, or written off after
/// <see cref="BacktestOptions.WriteOffBars"/> bars without a price.
/// </summary>
public sealed partial class Backtester
{
    private sealed partial class Run
    {
        /// <summary>
        /// Marks held assets without a price at panel bar <paramref name="t"/> as stranded, writes off those unpriced for
        /// <see cref="BacktestOptions.WriteOffBars"/> bars, and flags a sale when a stranded asset has a price again.
        /// </summary>
        private void TrackUntradable(int i, int t)
        {
            var prices = _m.Prices(t);
            var marks = _m.MarkPrices(t);
            var wroteOff = false;
            for (var a = 0; a < _n; a++)
            {
                if (_qty[a] == 0)
                {
                    SetStranded(a, false);
                    continue;
                }

                if (!double.IsNaN(prices[a]))
                {
                    _exitDue |= _stranded[a];
                    continue;
                }

                SetStranded(a, true);
                var last = _m.LastPricedBar(t, a);
                if (last >= 0 && t - last >= _o.WriteOffBars)
                {
                    _events.Add(new AssetEvent(i, _times[i], _m.Assets[a], AssetEventKind.WrittenOff, _qty[a], marks[a], _qty[a] * marks[a]));
                    _qty[a] = 0;
                    SetStranded(a, false);
                    wroteOff = true;
                }
            }

            if (wroteOff)
            {
                // The decimal holdings follow the double mirror from here.
                _holdingsStale = true;
                LogHoldings(i);
            }
        }

        private void SetStranded(int a, bool stranded)
        {
            if (_stranded[a] != stranded)
            {
                _stranded[a] = stranded;
                _strandedCount += stranded ? 1 : -1;
            }
        }

        /// <summary>
        /// The target in force from bar <paramref name="i"/>: the schedule's, with 0 for every asset without a price at
        /// panel bar <paramref name="t"/> and the rest scaled back to 1 (untouched when every asset is priced).
        /// </summary>
        private void SetTarget(int i, int t)
        {
            var prices = _m.Prices(t);
            double kept = 0;
            var zeroed = false;
            for (var a = 0; a < _n; a++)
            {
                var priced = !double.IsNaN(prices[a]);
                _scratch[a] = priced ? _raw[a] : 0;
                zeroed |= !priced && _raw[a] != 0;
                kept += _scratch[a];
            }

            if (zeroed && kept > 0)
            {
                for (var a = 0; a < _n; a++)
                {
                    _scratch[a] /= kept;
                }
            }

            if (!_scratch.AsSpan().SequenceEqual(_target))
            {
                _scratch.CopyTo(_target, 0);
                _targetSum = _target.Sum();
                _scratch.CopyTo(_targetLog.Add(i), 0);
            }
        }

        /// <summary>
        /// The target the policy works to while holdings are stranded: each stranded asset keeps the weight it has (it
        /// cannot be traded), the others share the rest in the proportions of the target.
        /// </summary>
        private double[] FrozenTarget()
        {
            double stuck = 0;
            for (var a = 0; a < _n; a++)
            {
                stuck += _stranded[a] ? _w[a] : 0;
            }

            for (var a = 0; a < _n; a++)
            {
                _frozen[a] = _stranded[a] ? _w[a] : _target[a] * (1 - stuck);
            }

            return _frozen;
        }

        /// <summary>Sells, at panel bar <paramref name="t"/>, every stranded holding that trades again; returns which were sold.</summary>
        private async Task<bool[]> SellStrandedAsync(int i, int t, VenueSnapshot market, CancellationToken ct)
        {
            _exitDue = false;
            var sold = new bool[_n];
            var assets = new List<string> { _m.QuoteAsset };
            assets.AddRange(_holdings.Quantities.Where(h => h.Value != 0 && h.Key != _m.QuoteAsset).Select(h => h.Key));
            var weights = _holdings.Weights(assets, market);
            for (var a = 0; a < _n; a++)
            {
                var k = assets.IndexOf(_m.Assets[a]);
                if (!_stranded[a] || k < 0 || !market.CanTrade(_m.Assets[a]))
                {
                    continue;
                }

                weights[0] += weights[k];
                weights[k] = 0;
                sold[a] = true;
                SetStranded(a, false);
            }

            if (sold.Contains(true))
            {
                var before = _holdings;
                var plan = _pipeline.Planner.Plan(market, _holdings, assets, weights);
                Record(i, market, await _pipeline.Executor.ExecuteAsync(plan, 0, _holdings, market, ct).ConfigureAwait(false));
                for (var a = 0; a < _n; a++)
                {
                    var asset = _m.Assets[a];
                    var amount = (double)(before.Quantity(asset) - _holdings.Quantity(asset));
                    if (sold[a] && amount > 0)
                    {
                        // What the sale took (all of it unless the impact limit or the minimum trade held some back).
                        var price = market.ReferencePrice(asset);
                        _events.Add(new AssetEvent(i, _times[i], asset, AssetEventKind.StrandedSold, amount, price, amount * price));
                    }
                }
            }

            return sold;
        }

        /// <summary>
        /// The assets of the policy's context at this bar: those the venue can trade, plus stranded holdings at the weight
        /// they have; the target is restricted to them (0 for <paramref name="sold"/> ones) and scaled to what is not stranded.
        /// </summary>
        private (IReadOnlyList<string> Assets, double[] Target, Allocation.RiskEstimate? Risk) Active(VenueSnapshot market, bool[]? sold)
        {
            var idx = new List<int>(_n);
            var frozen = false;
            for (var a = 0; a < _n; a++)
            {
                var asset = _m.Assets[a];
                var tradable = market.CanTrade(asset);
                if (tradable || _holdings.Quantity(asset) != 0)
                {
                    idx.Add(a);
                    frozen |= !tradable;
                }
            }

            if (idx.Count == _n && !frozen && sold is null)
            {
                return (_m.Assets, (double[])_target.Clone(), CurrentRisk());
            }

            var assets = idx.Select(a => _m.Assets[a]).ToArray();
            var current = _holdings.Weights(assets, market);
            var target = new double[idx.Count];
            double stuck = 0, free = 0;
            for (var k = 0; k < target.Length; k++)
            {
                if (!market.CanTrade(assets[k]))
                {
                    target[k] = current[k];
                    stuck += current[k];
                }
                else
                {
                    target[k] = sold is not null && sold[idx[k]] ? 0 : _target[idx[k]];
                    free += target[k];
                }
            }

            for (var k = 0; k < target.Length && free > 0; k++)
            {
                if (market.CanTrade(assets[k]))
                {
                    target[k] *= (1 - stuck) / free;
                }
            }

            return (assets, target, Restrict(idx));
        }

        private Allocation.RiskEstimate? Restrict(List<int> idx)
        {
            if (CurrentRisk() is not { } full)
            {
                return null;
            }

            var m = idx.Count;
            var cov = new double[m * m];
            for (var r = 0; r < m; r++)
            {
                for (var c = 0; c < m; c++)
                {
                    cov[(r * m) + c] = full[idx[r], idx[c]];
                }
            }

            return new Allocation.RiskEstimate(cov, idx.Select(a => full.ExpectedReturns[a]).ToArray());
        }
    }
}
