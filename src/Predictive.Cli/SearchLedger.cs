using Predictive.Operator.Lifecycle;
using Predictive.Operator.Storage;
using Predictive.Research.Statistics;
using Predictive.Training.Study;

namespace Predictive.Cli;

/// <summary>
/// Records a search's trials in the one trial ledger (the operator's <c>operator_trials</c> table, where the
/// champion/challenger evaluations record theirs) and deflates the search's pick, or a study's ensembles, by every trial
/// the ledger holds.
/// </summary>
public static class SearchLedger
{
    /// <summary>The <c>source</c> the search's trials carry.</summary>
    public const string Source = "research";

    /// <summary>Records every trial (a trial already recorded, same id, is left as it is) and returns the verdict on the outer result.</summary>
    /// <param name="result">The search.</param>
    /// <param name="postgres">A PostgreSQL connection string, or null for <paramref name="sqlitePath"/>.</param>
    /// <param name="sqlitePath">The SQLite ledger (created with the operator's schema if absent).</param>
    /// <param name="time">The clock the records are stamped with.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task<SearchVerdict> RecordAsync(SearchResult result, string? postgres, string sqlitePath, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(time);
        return await WithLedgerAsync(postgres, sqlitePath, ledger => RecordAsync(result, ledger, time, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Records every seed and every ensemble of a study (a trial already recorded, same id, is left as it is) and
    /// re-judges each ensemble deflated by every trial the ledger then holds.
    /// </summary>
    /// <param name="result">The study.</param>
    /// <param name="configuration">What makes the study's trials distinct beyond data range, variant and seed (e.g. its epochs).</param>
    /// <param name="postgres">A PostgreSQL connection string, or null for <paramref name="sqlitePath"/>.</param>
    /// <param name="sqlitePath">The SQLite ledger (created with the operator's schema if absent).</param>
    /// <param name="time">The clock the records are stamped with.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task<StudyResult> RecordStudyAsync(StudyResult result, string configuration, string? postgres, string sqlitePath, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(time);
        return await WithLedgerAsync(postgres, sqlitePath, ledger => RecordStudyAsync(result, configuration, ledger, time, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Records a study's trials in <paramref name="ledger"/> and deflates each ensemble by all of the ledger's trials.</summary>
    public static async Task<StudyResult> RecordStudyAsync(StudyResult result, string configuration, ITrialLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        var window = $"{result.FoldTests[0]}..{result.FoldTests[^1]}";
        IReadOnlyList<TrialRecord> all = await ledger.AllAsync(cancellationToken).ConfigureAwait(false);
        var ensembles = new List<TrialRecord>(result.Variants.Count);
        foreach (var v in result.Variants)
        {
            foreach (var (outcome, member) in v.Seeds.Select(s => (s, $"seed{s.Seed}")).Append((v.Ensemble, "ensemble")))
            {
                var returns = outcome.Returns.ToArray();
                var record = new TrialRecord($"research-study-{window}-{configuration}-{v.Name}-{member}", Source, window, ReturnStatistics.Sharpe(returns), returns.Length, ReturnStatistics.Skewness(returns), ReturnStatistics.Kurtosis(returns), time.GetUtcNow());
                all = await ledger.RecordAsync(record, cancellationToken).ConfigureAwait(false);
                if (member == "ensemble")
                {
                    ensembles.Add(record);
                }
            }
        }

        return OptionStudy.Judge(result, [.. ensembles.Select(e => ChampionChallenger.Deflated(e, all))], all.Count);
    }

    private static async Task<T> WithLedgerAsync<T>(string? postgres, string sqlitePath, Func<ITrialLedger, Task<T>> action)
    {
        OperatorDatabase database = postgres is not null
            ? new PostgresOperatorDatabase(postgres)
            : new SqliteOperatorDatabase($"Data Source={Path.GetFullPath(sqlitePath)}");
        try
        {
            return await action(new SqlTrialLedger(database)).ConfigureAwait(false);
        }
        finally
        {
            (database as IDisposable)?.Dispose();
        }
    }

    /// <summary>Records every trial in <paramref name="ledger"/> and deflates the outer result by all of its trials.</summary>
    public static async Task<SearchVerdict> RecordAsync(SearchResult result, ITrialLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        IReadOnlyList<TrialRecord> all = await ledger.AllAsync(cancellationToken).ConfigureAwait(false);
        foreach (var t in result.Trials)
        {
            all = await ledger.RecordAsync(new TrialRecord(t.TrialId, Source, t.Window, t.SharpePerBar, t.Observations, t.Skewness, t.Kurtosis, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        var returns = result.OverallReturns.ToArray();
        var pick = new TrialRecord("research-search-outer", Source, "outer", ReturnStatistics.Sharpe(returns), returns.Length, ReturnStatistics.Skewness(returns), ReturnStatistics.Kurtosis(returns), time.GetUtcNow());
        return new SearchVerdict(all.Count, ChampionChallenger.Deflated(pick, all));
    }
}
