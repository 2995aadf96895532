namespace Predictive.Keeper.Configuration;

/// <summary>keeper.json is missing, malformed or invalid; <see cref="Errors"/> lists each field and its problem.</summary>
public sealed class KeeperConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeeperConfigException(string path, IReadOnlyList<string> errors, Exception? inner = null)
        : base($"keeper configuration '{path}' is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors ?? [])}", inner)
    {
        Errors = errors ?? [];
    }

    /// <summary>One line per problem: <c>field: what is wrong</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
