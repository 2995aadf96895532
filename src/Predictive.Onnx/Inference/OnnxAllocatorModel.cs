using Microsoft.ML.OnnxRuntime;
using Predictive.Core.Features;
using Predictive.Onnx.Contract;

namespace Predictive.Onnx.Inference;

/// <summary>
/// A validated allocator model with its ONNX Runtime session. The session is reference counted: the owner (the model
/// registry) holds one reference, each caller takes another with <see cref="TryAcquire"/>, and the session is disposed
/// when the last reference is released after <see cref="Retire"/>. So a model can be unloaded while requests are still
/// running on it, and none of them fails.
/// </summary>
public sealed class OnnxAllocatorModel : IDisposable
{
    private static readonly string[] InputNames = [ModelContract.FeaturesInput, ModelContract.PreviousWeightsInput];
    private static readonly string[] OutputNames = [ModelContract.WeightsOutput];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private int _references = 1;
    private int _retired;

    /// <summary>Wraps a session that has already passed the contract checks; the model takes ownership of it.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The model version.</param>
    /// <param name="sha256">The verified SHA-256 of the ONNX file.</param>
    /// <param name="featureSpec">The feature spec from the model's metadata.</param>
    /// <param name="fixedAssets">The fixed asset list, for models that depend on one; otherwise null.</param>
    /// <param name="session">The session.</param>
    public OnnxAllocatorModel(string name, string version, string sha256, FeatureSpec featureSpec, IReadOnlyList<string>? fixedAssets, InferenceSession session)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        ArgumentNullException.ThrowIfNull(featureSpec);
        ArgumentNullException.ThrowIfNull(session);
        Name = name;
        Version = version;
        Sha256 = sha256;
        FeatureSpec = featureSpec;
        FixedAssets = fixedAssets;
        Metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
        _session = session;
    }

    /// <summary>The model name.</summary>
    public string Name { get; }

    /// <summary>
    /// The model's <c>metadata_props</c> (see <see cref="ModelMetadataKeys"/>): training range, validation metrics, seed,
    /// producer. Read from the verified ONNX file, so they describe exactly the weights being served.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The model version.</summary>
    public string Version { get; }

    /// <summary><c>name/version</c>, the key the registry and the API use.</summary>
    public string Key => $"{Name}/{Version}";

    /// <summary>Lower-case hex SHA-256 of the ONNX file.</summary>
    public string Sha256 { get; }

    /// <summary>The feature spec the model was trained with; its order is the order of the <c>features</c> axis.</summary>
    public FeatureSpec FeatureSpec { get; }

    /// <summary>The number of features per asset.</summary>
    public int FeatureCount => FeatureSpec.Features.Count;

    /// <summary>The fixed asset list, in input order, or null when the model takes any assets.</summary>
    public IReadOnlyList<string>? FixedAssets { get; }

    /// <summary>Whether <see cref="Retire"/> was called.</summary>
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>Takes a reference; false once the model is retired and its session gone or going.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Returns a reference taken with <see cref="TryAcquire"/>; the last one disposes the session.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _session.Dispose();
            _runOptions.Dispose();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"model '{Key}' was released more often than acquired.");
        }
    }

    /// <summary>Drops the owner's reference; the session is disposed once no caller holds one. Idempotent.</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0)
        {
            Release();
        }
    }

    /// <summary>Same as <see cref="Retire"/>: the session closes when the last reference is released.</summary>
    public void Dispose() => Retire();

    /// <summary>
    /// Runs the model once on a batch. The buffers are used in place (no copies): <paramref name="features"/> is
    /// [batch, assets, features], <paramref name="previousWeights"/> and <paramref name="weights"/> are [batch, assets].
    /// The caller must hold a reference (<see cref="TryAcquire"/>) or own the model.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer's length disagrees with the shape.</exception>
    public void Run(int batch, int assets, Memory<float> features, Memory<float> previousWeights, Memory<float> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(assets);
        var cells = batch * assets;
        if (features.Length != cells * FeatureCount || previousWeights.Length != cells || weights.Length != cells)
        {
            throw new ArgumentException($"buffers of {features.Length}/{previousWeights.Length}/{weights.Length} floats do not fit batch {batch} × assets {assets} × features {FeatureCount}.", nameof(features));
        }

        using var featureValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, features, [batch, assets, FeatureCount]);
        using var previousValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, previousWeights, [batch, assets]);
        using var weightValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, weights, [batch, assets]);
        _session.Run(_runOptions, InputNames, [featureValue, previousValue], OutputNames, [weightValue]);
    }
}
