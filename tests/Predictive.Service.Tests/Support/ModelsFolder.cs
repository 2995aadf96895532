using Predictive.Onnx.Graph;
using Predictive.Onnx.Manifest;

namespace Predictive.Service.Tests.Support;

/// <summary>A temporary models directory (<c>&lt;name&gt;/&lt;version&gt;/model.onnx + model.json</c>), deleted on dispose.</summary>
internal sealed class ModelsFolder : IDisposable
{
    public ModelsFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "predictive-models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Dir(string name, string version) => System.IO.Path.Combine(Path, name, version);

    public ModelsFolder Add(string name, string version, OnnxModel model, IReadOnlyList<string>? assets = null)
    {
        ModelPackage.Write(Dir(name, version), model, name, version, assets);
        return this;
    }

    /// <summary>A copy of a model package written elsewhere (the repository's trained models/default/1, say).</summary>
    public ModelsFolder AddCopy(string name, string version, string source)
    {
        var dir = Dir(name, version);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, System.IO.Path.Combine(dir, System.IO.Path.GetFileName(file)));
        }

        return this;
    }

    /// <summary>A manifest that pins the hash of random bytes that are not ONNX.</summary>
    public ModelsFolder AddGarbage(string name, string version)
    {
        var dir = Dir(name, version);
        Add(name, version, TestModels.Linear());
        var garbage = new byte[300];
        new Random(5).NextBytes(garbage);
        File.WriteAllBytes(System.IO.Path.Combine(dir, ModelManifest.DefaultModelFile), garbage);
        var manifest = File.ReadAllText(System.IO.Path.Combine(dir, ModelManifest.FileName));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(garbage));
        var old = System.Text.Json.JsonDocument.Parse(manifest).RootElement.GetProperty("sha256").GetString()!;
        File.WriteAllText(System.IO.Path.Combine(dir, ModelManifest.FileName), manifest.Replace(old, sha, StringComparison.Ordinal));
        return this;
    }

    /// <summary>A valid model whose ONNX file was changed after the manifest pinned its hash.</summary>
    public ModelsFolder AddTampered(string name, string version)
    {
        Add(name, version, TestModels.Linear());
        Tamper(name, version);
        return this;
    }

    public void Tamper(string name, string version)
    {
        var file = System.IO.Path.Combine(Dir(name, version), ModelManifest.DefaultModelFile);
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(file, bytes);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A session may still map a file on some systems; the temp folder is cleaned by the OS later.
        }
    }
}
