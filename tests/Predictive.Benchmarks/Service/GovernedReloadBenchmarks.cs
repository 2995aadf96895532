using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Predictive.Chain.Governance;
using Predictive.Onnx.Registry;
using Predictive.Service.Hosting;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.Service;

/// <summary>
/// What governance costs the service (issue 16's measure). Per poll: <see cref="ChainModelApproval.Update"/> decides
/// from a freshly read snapshot whether anything changed (the RPC calls themselves are 3 per poll, not timed here). Per
/// reload: each model file's <see cref="ChainModelApproval.RefusalFor"/>, and a whole folder reload of the bundled
/// model governed against the same reload ungoverned (the baseline). Per request: nothing runs (requests read the
/// published model snapshot; <see cref="IModelApproval"/> is only called by the loader), so there is nothing to time.
/// <see cref="Versions"/> is the number of versions registered on chain.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GovernedReloadBenchmarks
{
    private ChainModelApproval _approval = null!;
    private OnChainRegistrySnapshot _snapshot = null!;
    private OnChainRegistrySnapshot _sameAgain = null!;
    private string _sha = string.Empty;
    private string _models = string.Empty;

    /// <summary>Versions registered on chain (the bundled model's is the last one).</summary>
    [Params(1, 100)]
    public int Versions { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _models = RepositoryPaths.Combine("models");
        var bundled = ModelCandidate.FromDirectory(Path.Combine(_models, "default", "1"));
        _sha = Convert.ToHexStringLower(bundled.OnnxSha256);
        _snapshot = Snapshot(bundled);
        _sameAgain = Snapshot(bundled);
        _approval = new ChainModelApproval();
        _approval.Update(_snapshot, []);
    }

    [Benchmark(Description = "per poll: Update (unchanged snapshot)")]
    public bool UpdateUnchanged() => _approval.Update(_sameAgain, []);

    [Benchmark(Description = "per model file in a reload: RefusalFor")]
    public string? RefusalFor() => _approval.RefusalFor("default", "1", _sha);

    [Benchmark(Baseline = true, Description = "reload of models/ ungoverned")]
    public int ReloadUngoverned() => Reload(null);

    [Benchmark(Description = "reload of models/ governed")]
    public int ReloadGoverned() => Reload(_approval);

    private int Reload(IModelApproval? approval)
    {
        using var registry = new ModelRegistry(_models, TimeProvider.System, null, approval);
        var loaded = registry.Reload().Snapshot.Loaded.Count;
        return loaded == 1 ? loaded : throw new InvalidOperationException($"expected the bundled model to load; {loaded} loaded.");
    }

    private OnChainRegistrySnapshot Snapshot(ModelCandidate bundled)
    {
        var others = Enumerable.Range(1, Versions - 1).Select(v =>
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(v)));
            return new RegisteredModel("0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf("other")), (ulong)v, RegistryStatus.Approved, false, 10, sha, sha,
                string.Create(CultureInfo.InvariantCulture, $"predictive-model:other/{v}"));
        });
        var mine = new RegisteredModel("0x" + Convert.ToHexStringLower(bundled.ModelId), 1, RegistryStatus.Approved, true, 20, _sha, Convert.ToHexStringLower(bundled.ManifestSha256), bundled.Uri);
        return new OnChainRegistrySnapshot(100, [.. others, mine]);
    }
}
