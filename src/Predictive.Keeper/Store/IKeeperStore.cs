namespace Predictive.Keeper.Store;

/// <summary>A vault's lease: who drives it and until when.</summary>
/// <param name="Vault">The vault (lowercase address).</param>
/// <param name="Owner">The keeper instance holding it.</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
public sealed record VaultLease(string Vault, string Owner, DateTimeOffset ExpiresAt);

/// <summary>The answer to a lease request: granted (to the caller), or held by another until it expires.</summary>
/// <param name="Granted">Whether the caller now holds the lease.</param>
/// <param name="Lease">The lease in force after the request (the caller's or the holder's).</param>
public sealed record LeaseResult(bool Granted, VaultLease Lease);

/// <summary>The answer to a lease renewal: extended (for the caller), or not, with whoever holds the lease now.</summary>
/// <param name="Renewed">Whether the caller still held the lease, unexpired, and it now runs to the new expiry.</param>
/// <param name="Lease">The lease in force after the request: the caller's extended one, another driver's, or null when nobody holds it (it was released).</param>
public sealed record LeaseRenewalResult(bool Renewed, VaultLease? Lease);

/// <summary>
/// The keeper's durable store beside the journal: one driver per vault through leases with an expiry, and the decision
/// log. A SQLite implementation serves a single host; a PostgreSQL one (issue 18) serves a cluster with the same rules.
/// </summary>
public interface IKeeperStore
{
    /// <summary>
    /// Takes or renews <paramref name="vault"/>'s lease for <paramref name="owner"/> until <paramref name="now"/> +
    /// <paramref name="duration"/>, unless another owner holds an unexpired one; atomic across processes.
    /// </summary>
    Task<LeaseResult> TryAcquireLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends <paramref name="vault"/>'s lease to <paramref name="now"/> + <paramref name="duration"/> only when
    /// <paramref name="owner"/> still holds it unexpired at <paramref name="now"/>; never takes a free, expired or released
    /// lease (work planned under a lease that lapsed must not carry on under a new one). Atomic across processes.
    /// </summary>
    Task<LeaseRenewalResult> TryRenewLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives up the lease if <paramref name="owner"/> holds it.</summary>
    Task ReleaseLeaseAsync(string vault, string owner, CancellationToken cancellationToken = default);

    /// <summary>Appends one pass's record to the decision log.</summary>
    Task AppendDecisionAsync(DecisionRecord record, CancellationToken cancellationToken = default);

    /// <summary>The latest <paramref name="limit"/> records (of one vault, by name or address, or all), oldest first.</summary>
    Task<IReadOnlyList<DecisionRecord>> ReadDecisionsAsync(string? vault, int limit, CancellationToken cancellationToken = default);
}
