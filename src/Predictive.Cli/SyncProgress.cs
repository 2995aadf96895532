namespace Predictive.Cli;

/// <summary>
/// Reports on the caller's thread (unlike <see cref="Progress{T}"/>, which posts to a synchronization context), so
/// progress lines appear in order before the result they lead to.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
