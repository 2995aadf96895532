using Microsoft.Extensions.Options;
using Predictive.Onnx.Registry;
using Predictive.Operator.Options;

namespace Predictive.Operator.Lifecycle;

/// <summary>The model a challenger must beat: its key and the SHA-256 the authority that made it champion recorded.</summary>
/// <param name="Key"><c>name/version</c> under the models directory.</param>
/// <param name="Sha256">The recorded SHA-256 of its ONNX file; the file on disk must match it.</param>
/// <param name="Source">Which authority named it (the models directory's activation record, or the chain's registry).</param>
public sealed record Champion(string Key, string Sha256, string Source);

/// <summary>Names the champion: the authority that decides what is served is the one asked.</summary>
public interface IChampionSource
{
    /// <summary>The current champion, or null when none is active (the challenger then faces 1/N).</summary>
    Task<Champion?> CurrentAsync(CancellationToken cancellationToken);
}

/// <summary>Ungoverned: the models directory's activation record (<see cref="ActiveModelFile"/>), which the service honours.</summary>
public sealed class ModelsDirectoryChampion(IOptions<OperatorOptions> options) : IChampionSource
{
    /// <inheritdoc />
    public Task<Champion?> CurrentAsync(CancellationToken cancellationToken) =>
        Task.FromResult(ActiveModelFile.Read(options.Value.ModelsDirectory)?.Active is { } active ? new Champion(active.Key, active.Sha256, ActiveModelFile.PathIn(options.Value.ModelsDirectory)) : null);
}
