using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>The trial ledger in the operator's database (SQLite or PostgreSQL), shared by every node and by the research search.</summary>
public sealed class SqlTrialLedger(OperatorDatabase database) : ITrialLedger
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<TrialRecord>> RecordAsync(TrialRecord trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = Command(
                connection,
                "INSERT INTO operator_trials (trial_id, source, window_range, sharpe_per_bar, observations, skewness, kurtosis, recorded_ms) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) ON CONFLICT (trial_id) DO NOTHING;",
                trial.TrialId, trial.Source, trial.Window, trial.SharpePerBar, trial.Observations, trial.Skewness, trial.Kurtosis, Ms(trial.RecordedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await AllAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TrialRecord>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT trial_id, source, window_range, sharpe_per_bar, observations, skewness, kurtosis, recorded_ms FROM operator_trials ORDER BY recorded_ms, trial_id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var trials = new List<TrialRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            trials.Add(new TrialRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetInt32(4), reader.GetDouble(5), reader.GetDouble(6), Time(reader.GetInt64(7))));
        }

        return trials;
    }
}
