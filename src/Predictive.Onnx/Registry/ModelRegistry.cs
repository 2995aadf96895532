using Predictive.Onnx.Inference;

namespace Predictive.Onnx.Registry;

/// <summary>
/// Every model under a models directory (<c>&lt;dir&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx + model.json</c>), loaded
/// and checked by <see cref="ModelLoader"/>. Readers take <see cref="Current"/> without locking; changes (reload,
/// activation) build a new <see cref="RegistrySnapshot"/> under a lock and publish it in one reference write. A model
/// that leaves the registry is retired, and its session closes when the last in-flight request releases it.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    /// <summary>The model name preferred as default when no default is configured.</summary>
    public const string DefaultModelName = "default";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IModelApproval? _approval;
    private string? _preferredDefault;
    private RegistrySnapshot _current = RegistrySnapshot.Empty;

    /// <summary>Creates an empty registry over <paramref name="modelsDirectory"/>; call <see cref="Reload"/> to load.</summary>
    /// <param name="modelsDirectory">The models directory (absolute, or relative to the working directory).</param>
    /// <param name="time">The clock for refusal times.</param>
    /// <param name="configuredDefault">The default model (<c>name/version</c>), if configured.</param>
    /// <param name="approval">
    /// Governed mode: only files it approves load, a model it stops approving is unloaded at the next reload even if
    /// it is the default, the default is the active version of <paramref name="configuredDefault"/>'s name (or of
    /// "default") as it says, or none, and <see cref="Activate"/> is refused.
    /// </param>
    public ModelRegistry(string modelsDirectory, TimeProvider time, string? configuredDefault = null, IModelApproval? approval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ModelsDirectory = Path.GetFullPath(modelsDirectory);
        _time = time;
        _preferredDefault = string.IsNullOrWhiteSpace(configuredDefault) ? null : configuredDefault;
        _approval = approval;
    }

    /// <summary>Whether an approval authority decides what loads and which model is the default.</summary>
    public bool Governed => _approval is not null;

    /// <summary>The models directory, absolute.</summary>
    public string ModelsDirectory { get; }

    /// <summary>The current snapshot.</summary>
    public RegistrySnapshot Current => Volatile.Read(ref _current);

    /// <summary>
    /// Scans the models directory and loads what changed. A refused model never replaces a loaded one with the same
    /// key; models that disappeared from disk are unloaded unless a portfolio or the default still uses them.
    /// </summary>
    public RegistryChange Reload()
    {
        lock (_gate)
        {
            var before = _current;
            var loaded = new Dictionary<string, OnnxAllocatorModel>(StringComparer.Ordinal);
            var added = new List<string>();
            var kept = new List<string>();
            var refused = new List<ModelRefusal>();
            var retired = new List<OnnxAllocatorModel>();
            foreach (var (key, directory, name, version) in Scan())
            {
                var (model, refusal) = ModelLoader.Load(directory, name, version, _time, _approval);
                before.Loaded.TryGetValue(key, out var previous);
                if (model is null)
                {
                    refused.Add(refusal!);
                    if (refusal!.Stage == RefusalStages.Governance)
                    {
                        continue; // no longer approved: the loaded copy goes too (retired below)
                    }

                    if (previous is not null)
                    {
                        loaded[key] = previous;
                        kept.Add(key);
                    }
                }
                else if (previous is not null && previous.Sha256 == model.Sha256)
                {
                    model.Retire();
                    loaded[key] = previous;
                    kept.Add(key);
                }
                else
                {
                    loaded[key] = model;
                    added.Add(key);
                    if (previous is not null)
                    {
                        retired.Add(previous);
                    }
                }
            }

            foreach (var (key, model) in before.Loaded)
            {
                if (loaded.ContainsKey(key))
                {
                    continue;
                }

                if (!Governed && (key == before.DefaultKey || before.Active.Values.Contains(key)))
                {
                    loaded[key] = model;
                    kept.Add(key);
                }
                else
                {
                    retired.Add(model);
                }
            }

            var active = before.Active.Where(p => loaded.ContainsKey(p.Value)).ToDictionary(StringComparer.Ordinal);
            var defaultKey = ChooseDefault(loaded, before.DefaultKey);
            var next = new RegistrySnapshot(loaded, refused, defaultKey, active, before.Generation + 1);
            Volatile.Write(ref _current, next);
            foreach (var model in retired)
            {
                model.Retire();
            }

            return new RegistryChange(added, kept, refused, [.. retired.Select(m => m.Key)], next);
        }
    }

    /// <summary>
    /// Makes <paramref name="key"/> the active model of <paramref name="portfolioId"/>, or the default when the id is
    /// null. Requests already running finish on the model they started with.
    /// </summary>
    /// <exception cref="ModelNotLoadedException">The model is not loaded.</exception>
    public RegistrySnapshot Activate(string key, string? portfolioId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (Governed)
        {
            throw new InvalidOperationException("Activation by the admin key is off in governed mode: the on-chain registry's activate decides the default.");
        }

        lock (_gate)
        {
            var before = _current;
            if (!before.Loaded.ContainsKey(key))
            {
                throw new ModelNotLoadedException(key, before.Loaded.Keys);
            }

            var active = new Dictionary<string, string>(before.Active, StringComparer.Ordinal);
            var defaultKey = before.DefaultKey;
            if (portfolioId is null)
            {
                // An activated default outlives later reloads: it replaces the configured one as the preference.
                defaultKey = key;
                _preferredDefault = key;
            }
            else
            {
                active[portfolioId] = key;
            }

            var next = new RegistrySnapshot(before.Loaded, before.Refused, defaultKey, active, before.Generation + 1);
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>
    /// Takes a reference to the model a portfolio should use (see <see cref="RegistrySnapshot.Resolve"/>); null when
    /// no such model is loaded. Dispose the lease when the request is done.
    /// </summary>
    public ModelLease? Acquire(string? portfolioId, string? requested)
    {
        while (true)
        {
            var model = Current.Resolve(portfolioId, requested);
            if (model is null)
            {
                return null;
            }

            // A model retired between the read and here is already out of the published snapshot: read again.
            if (model.TryAcquire())
            {
                return new ModelLease(model);
            }
        }
    }

    /// <summary>Unloads every model; sessions close once in-flight requests finish.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            var before = _current;
            Volatile.Write(ref _current, RegistrySnapshot.Empty);
            foreach (var model in before.Loaded.Values)
            {
                model.Retire();
            }
        }
    }

    private string? ChooseDefault(Dictionary<string, OnnxAllocatorModel> loaded, string? previous)
    {
        if (_approval is not null)
        {
            var name = _preferredDefault?.Split('/')[0] ?? DefaultModelName;
            var key = _approval.ActiveVersion(name) is { } version ? $"{name}/{version}" : null;
            return key is not null && loaded.ContainsKey(key) ? key : null;
        }

        if (_preferredDefault is not null && loaded.ContainsKey(_preferredDefault))
        {
            return _preferredDefault;
        }

        if (previous is not null && loaded.ContainsKey(previous))
        {
            return previous;
        }

        // Newest version (ordinal order) of the model called "default", else of the first name.
        return loaded.Values
            .OrderBy(m => m.Name == DefaultModelName ? 0 : 1)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ThenByDescending(m => m.Version, StringComparer.Ordinal)
            .Select(m => m.Key)
            .FirstOrDefault();
    }

    private static bool IsVisible(string directory) => !Path.GetFileName(directory).StartsWith('.');

    private IEnumerable<(string Key, string Directory, string Name, string Version)> Scan()
    {
        if (!Directory.Exists(ModelsDirectory))
        {
            yield break;
        }

        // Folders whose name starts with a dot are staging areas (a version being written, see ModelStaging) and are
        // never scanned: a half-written version is not refused, it is invisible.
        foreach (var nameDir in Directory.GetDirectories(ModelsDirectory).Where(IsVisible).Order(StringComparer.Ordinal))
        {
            foreach (var versionDir in Directory.GetDirectories(nameDir).Where(IsVisible).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(nameDir);
                var version = Path.GetFileName(versionDir);
                yield return ($"{name}/{version}", versionDir, name, version);
            }
        }
    }
}
