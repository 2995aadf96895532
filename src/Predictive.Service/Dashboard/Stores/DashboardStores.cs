using Microsoft.Extensions.Options;
using Npgsql;
using Predictive.Keeper.Store;
using Predictive.Operator.Storage;

namespace Predictive.Service.Dashboard.Stores;

/// <summary>A configured store that cannot be opened now; the message names it and says why.</summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The stores the dashboard reads, through the interfaces their writers use: the operator's database (SQLite for one node,
/// PostgreSQL for a cluster; <see cref="IRunHistory"/> and its keeper store) and a keeper's own SQLite store
/// (<see cref="IKeeperStore"/>). A SQLite file is never created: a missing one is reported. Opening an operator database
/// applies the operator's missing schema steps, as any operator node does on start.
/// </summary>
internal sealed class DashboardStores(IOptions<DashboardOptions> options, IWebHostEnvironment environment) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OperatorDatabase? _operator;

    /// <summary>Whether an operator database is configured (<c>OperatorDatabase</c> or <c>OperatorPostgres</c>).</summary>
    public bool OperatorConfigured => !string.IsNullOrWhiteSpace(options.Value.OperatorDatabase) || !string.IsNullOrWhiteSpace(options.Value.OperatorPostgres);

    /// <summary>Whether a keeper's own store file is configured (<c>KeeperStore</c>).</summary>
    public bool KeeperFileConfigured => !string.IsNullOrWhiteSpace(options.Value.KeeperStore);

    /// <summary>The operator database as the pages name it: the SQLite file's full path, or the PostgreSQL server and database (never the password).</summary>
    public string? OperatorName => options.Value.OperatorPostgres is { Length: > 0 } pg
        ? PostgresName(pg)
        : options.Value.OperatorDatabase is { Length: > 0 } file ? Path.GetFullPath(file, environment.ContentRootPath) : null;

    /// <summary>The keeper store file's full path, or null.</summary>
    public string? KeeperFileName => KeeperFileConfigured ? Path.GetFullPath(options.Value.KeeperStore!, environment.ContentRootPath) : null;

    /// <summary>The operator's database, opened once and kept.</summary>
    /// <exception cref="StoreUnavailableException">It is not configured, its file does not exist, or the server refuses.</exception>
    public async Task<OperatorDatabase> OperatorAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _operator) is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _operator ??= Open();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The operator's run history (<see cref="SqlRunHistory"/> on its database).</summary>
    public async Task<IRunHistory> RunHistoryAsync(CancellationToken cancellationToken) => new SqlRunHistory(await OperatorAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The keeper stores configured, each with the name the pages give it: the keeper's own file, and the operator's
    /// database (where the operator's keeper jobs log their passes). A store that cannot be opened comes back as its error.
    /// </summary>
    public async Task<IReadOnlyList<(string Source, IKeeperStore? Store, string? Error)>> KeeperStoresAsync(CancellationToken cancellationToken)
    {
        var stores = new List<(string, IKeeperStore?, string?)>();
        if (KeeperFileName is { } file)
        {
            if (!File.Exists(file))
            {
                stores.Add((file, null, $"Predictive:Dashboard:KeeperStore names '{file}', which does not exist (the keeper creates it on its first pass)."));
            }
            else
            {
                try
                {
                    stores.Add((file, await SqliteKeeperStore.OpenAsync(file, cancellationToken).ConfigureAwait(false), null));
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
                {
                    stores.Add((file, null, $"{file}: {e.Message}"));
                }
            }
        }

        if (OperatorConfigured)
        {
            try
            {
                stores.Add((OperatorName!, new SqlKeeperStore(await OperatorAsync(cancellationToken).ConfigureAwait(false)), null));
            }
            catch (StoreUnavailableException e)
            {
                stores.Add((OperatorName!, null, e.Message));
            }
        }

        return stores;
    }

    private OperatorDatabase Open()
    {
        var o = options.Value;
        if (o.OperatorPostgres is { Length: > 0 } connection)
        {
            try
            {
                return new PostgresOperatorDatabase(connection);
            }
            catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
            {
                throw new StoreUnavailableException($"{PostgresName(connection)}: {e.Message}", e);
            }
        }

        var path = OperatorName ?? throw new StoreUnavailableException("No operator database is configured (Predictive:Dashboard:OperatorDatabase or OperatorPostgres).");
        if (!File.Exists(path))
        {
            throw new StoreUnavailableException($"Predictive:Dashboard:OperatorDatabase names '{path}', which does not exist (the operator creates it on its first start).");
        }

        try
        {
            return new SqliteOperatorDatabase($"Data Source={path};Pooling=False");
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new StoreUnavailableException($"{path}: {e.Message}", e);
        }
    }

    private static string PostgresName(string connection)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connection);
            return $"postgresql://{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "postgresql (Predictive:Dashboard:OperatorPostgres is not a valid connection string)";
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        (_operator as IDisposable)?.Dispose();
        _gate.Dispose();
    }
}
