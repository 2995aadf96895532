using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Predictive.Operator.Hosting;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Tests.Support;

/// <summary>The real operator host (Quartz, SQLite store) over a temporary folder, with settings for a quick cycle.</summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    /// <summary>A cron expression that never fires in a test's lifetime.</summary>
    public const string Never = "0 0 0 1 1 ? 2099";

    private readonly IHost _host;

    private OperatorHarness(IHost host) => _host = host;

    public IRunHistory Runs => _host.Services.GetRequiredService<IRunHistory>();

    public IChallengerStore Challengers => _host.Services.GetRequiredService<IChallengerStore>();

    public ITrialLedger Ledger => _host.Services.GetRequiredService<ITrialLedger>();

    /// <summary>Settings for a quick cycle in <paramref name="folder"/>: small synthetic market, few epochs, only the given retrain time.</summary>
    public static Dictionary<string, string?> QuickSettings(TempFolder folder) => new(StringComparer.Ordinal)
    {
        ["Operator:WorkingDirectory"] = folder.Combine("work"),
        ["Operator:ModelsDirectory"] = folder.Combine("models"),
        ["Operator:Retrain:Epochs"] = "4",
        ["Operator:Retrain:Patience"] = "4",
        ["Operator:Retrain:ValidationSize"] = "120",
        ["Operator:Evaluation:WindowBars"] = "180",
        ["Operator:Schedules:RetrainOnStart"] = "false",
        ["Operator:Schedules:Retrain"] = Never,
        ["Operator:Schedules:Evaluate"] = Never,
        ["Operator:Schedules:Promote"] = Never,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// Starts the host; with <paramref name="retrainEvery"/>, the retrain is scheduled every that many seconds (a
    /// repeating cron rather than one fire time, which a slow cold start could let pass). Retraining on unchanged data
    /// finds its version published and trains nothing, so only the first firing trains.
    /// </summary>
    public static async Task<OperatorHarness> StartAsync(IDictionary<string, string?> settings, int? retrainEvery = null)
    {
        if (retrainEvery is { } seconds)
        {
            settings["Operator:Schedules:Retrain"] = string.Create(CultureInfo.InvariantCulture, $"0/{seconds} * * * * ?");
        }

        var host = OperatorHost.Build([], settings);
        await host.StartAsync().ConfigureAwait(false);
        return new OperatorHarness(host);
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="WaitUntilAsync"/>, and a timeout's message lists the runs and challengers so far.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                var runs = await Runs.ListAsync(100, null, CancellationToken.None).ConfigureAwait(false);
                var challengers = await Challengers.ListAsync(CancellationToken.None).ConfigureAwait(false);
                Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}. Runs: {string.Join(" | ", runs.Select(r => $"{r.Job} {r.Trigger} {r.Outcome} {r.Message} {r.Error}"))}. Challengers: {string.Join(" | ", challengers.Select(c => $"{c.Key} {c.Status} {c.Note}"))}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the first challenger has been judged (any status past trained) and returns the only challenger.</summary>
    public async Task<ChallengerRecord> JudgedChallengerAsync(TimeSpan timeout, string what)
    {
        await WaitAsync(
            async () => (await Challengers.ListAsync(CancellationToken.None).ConfigureAwait(false)).Any(c => c.Status != ChallengerStatus.Trained),
            timeout,
            what).ConfigureAwait(false);
        return (await Challengers.ListAsync(CancellationToken.None).ConfigureAwait(false)).Single();
    }

    /// <summary>True once a run of <paramref name="job"/> has ended.</summary>
    public async Task<bool> FinishedAsync(string job) =>
        (await Runs.ListAsync(100, job, CancellationToken.None).ConfigureAwait(false)).Any(r => r.Outcome != RunOutcome.Running);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
