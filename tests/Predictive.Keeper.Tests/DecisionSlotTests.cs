using CsCheck;
using Predictive.Keeper.Pass;
using Predictive.Tests.Shared;

namespace Predictive.Keeper.Tests;

[TestClass]
public sealed class DecisionSlotTests
{
    [TestMethod]
    public void Of_TimesInOneInterval_OneSlotAndTheNextIntervalAnother()
    {
        var gen = Gen.Select(Gen.Long[1_600_000_000, 2_000_000_000], Gen.Int[1, 86_400], Gen.Double[0, 1]);
        gen.Sample((seconds, interval, fraction) =>
        {
            var start = seconds - (seconds % interval);
            var within = start + (long)(fraction * (interval - 1));
            var span = TimeSpan.FromSeconds(interval);
            var slot = DecisionSlot.Of(DateTimeOffset.FromUnixTimeSeconds(within), span);
            return slot == DecisionSlot.Of(DateTimeOffset.FromUnixTimeSeconds(start), span)
                && slot != DecisionSlot.Of(DateTimeOffset.FromUnixTimeSeconds(start + interval), span)
                && slot == DateTimeOffset.FromUnixTimeSeconds(start).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }, iter: 10_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void Of_HourlyInterval_TheHourOfTheChainTime()
    {
        var slot = DecisionSlot.Of(new DateTimeOffset(2026, 12, 7, 5, 59, 59, TimeSpan.Zero), TimeSpan.FromHours(1));

        Assert.AreEqual("20261207T050000Z", slot);
    }
}
