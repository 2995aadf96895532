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
    /// <summary>The SQL condition "the lease is held, unexpired", over parameters <c>@p{first}</c> to <c>@p{first + 2}</c>.</summary>
    public static string Held(int first) =>
        System.FormattableString.Invariant($"EXISTS (SELECT 1 FROM keeper_leases WHERE vault = @p{first} AND owner = @p{first + 1} AND expires_ms > @p{first + 2})");

    /// <summary>The values of <see cref="Held"/>'s parameters, the time now from <paramref name="time"/>.</summary>
    public object[] Parameters(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return [Vault, Owner, Ms(time.GetUtcNow())];
    }
}
