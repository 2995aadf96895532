using System.CommandLine;
using System.Globalization;
using Predictive.Chain.Oracle;
using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;

namespace Predictive.Cli.Commands;

/// <summary>
/// The options of the one rebalancing composition on the command line: the policy (every form the backtest takes,
/// cost-aware by default), the guards' limits, the planner's impact limit and slicing, and the slippage tolerance.
/// </summary>
internal sealed class RebalanceSettings
{
    private readonly Option<string> _policy = new("--policy") { Description = $"The rebalancing policy: {PolicySpec.Forms}.", DefaultValueFactory = _ => "cost-aware" };
    private readonly Option<int> _slippage = new("--slippage-bps") { Description = "Tolerance below the fresh pool quote, in basis points.", DefaultValueFactory = _ => SlippageBudget.KeeperSlippageBps };
    private readonly Option<double> _maxImpact = new("--max-impact-bps") { Description = "The planner's largest price impact per swap; bigger orders are split into TWAP slices, one per run.", DefaultValueFactory = _ => SlippageBudget.PlannerMaxPriceImpactBps };
    private readonly Option<int> _maxSlices = new("--max-slices") { Description = "The most TWAP slices one order is split into.", DefaultValueFactory = _ => 24 };
    private readonly Option<double> _deviation = new("--max-deviation-bps") { Description = "Price-deviation guard: the largest |pool price / reference price − 1|.", DefaultValueFactory = _ => SlippageBudget.DeviationToleranceBps };
    private readonly Option<decimal> _liquidity = new("--min-liquidity") { Description = "Liquidity guard: the least pool liquidity, in quote units.", DefaultValueFactory = _ => 1_000_000m };
    private readonly Option<double> _volatility = new("--max-volatility") { Description = "Volatility circuit breaker: the annualized realized volatility above which nothing trades.", DefaultValueFactory = _ => 2.5 };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _policy, _slippage, _maxImpact, _maxSlices, _deviation, _liquidity, _volatility })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The composition's options from the parsed command line.</summary>
    /// <exception cref="CliException">An option is out of range or the policy is unknown; the message names it.</exception>
    public RebalancePipelineOptions Read(ParseResult parse, double barsPerYear)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            var options = new RebalancePipelineOptions
            {
                Policy = PolicySpec.Parse(parse.GetValue(_policy)!),
                Costs = new SwapCostOptions { SlippageBps = parse.GetValue(_slippage) },
                Planner = new TradePlannerOptions { MaxPriceImpactBps = parse.GetValue(_maxImpact), MaxSlices = parse.GetValue(_maxSlices) },
                Guards =
                [
                    new LiquidityGuard(new LiquidityGuardOptions { MinLiquidityQuote = parse.GetValue(_liquidity) }),
                    new PriceDeviationGuard(new PriceDeviationGuardOptions { ToleranceBps = parse.GetValue(_deviation) }),
                    new VolatilityCircuitBreaker(new VolatilityCircuitBreakerOptions { MaxAnnualizedVolatility = parse.GetValue(_volatility), BarsPerYear = barsPerYear }),
                ],
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>One line per guard result: name, fired or passed, and what it measured.</summary>
    public static IEnumerable<string> GuardLines(IEnumerable<GuardResult> results, string indent = "  ") =>
        results.Select(g => string.Create(CultureInfo.InvariantCulture, $"{indent}guard {g.Guard}: {(g.Fired ? "FIRED" : "passed")} — {g.Detail}"));
}
