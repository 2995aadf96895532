using System.Data.Common;
using System.Globalization;
using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>
/// The vault lease a writer of shared keeper state must hold for each write (the fence): the write and the lease check
/// are one statement, so a node whose lease expired or was taken over writes nothing.
/// </summary>
/// <param name="Vault">The lease's key in <c>keeper_leases</c>.</param>
/// <param name="Owner">The owner the writer holds it as.</param>
public sealed record LeaseFence(string Vault, string Owner)
{
    /// <summary>The placeholder in a fenced statement's text that stands for the fence's condition.</summary>
    public const string Condition = "{fence}";

    /// <summary>
    /// A write on <paramref name="connection"/> whose <see cref="Condition"/> placeholder (in its <c>WHERE</c>) becomes "the
    /// lease is held by the owner, unexpired at the time now from <paramref name="time"/>", over parameters after
    /// <paramref name="parameters"/>; with no fence (<paramref name="fence"/> null, a single node) it becomes <c>1 = 1</c>.
    /// The write then changes no row when the writer does not hold the lease.
    /// </summary>
    /// <param name="fence">The lease the write needs, or null for none.</param>
    /// <param name="time">The clock the lease's expiry is compared with.</param>
    /// <param name="connection">The open connection.</param>
    /// <param name="sql">The statement, with <see cref="Condition"/> once and positional parameters <c>@p0…</c>.</param>
    /// <param name="parameters">The statement's own parameters.</param>
    public static DbCommand Command(LeaseFence? fence, TimeProvider time, DbConnection connection, string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!sql.Contains(Condition, StringComparison.Ordinal))
        {
            throw new ArgumentException($"a fenced statement needs the {Condition} placeholder: {sql}", nameof(sql));
        }

        if (fence is null)
        {
            return OperatorDatabase.Command(connection, sql.Replace(Condition, "1 = 1", StringComparison.Ordinal), parameters);
        }

        var first = parameters.Length;
        var held = string.Create(
            CultureInfo.InvariantCulture,
            $"EXISTS (SELECT 1 FROM keeper_leases WHERE vault = @p{first} AND owner = @p{first + 1} AND expires_ms > @p{first + 2})");
        return OperatorDatabase.Command(connection, sql.Replace(Condition, held, StringComparison.Ordinal), [.. parameters, fence.Vault, fence.Owner, Ms(time.GetUtcNow())]);
    }
}
