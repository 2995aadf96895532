namespace Predictive.Onnx.Registry;

/// <summary>
/// An outside authority on which model files may load (e.g. an on-chain registry). Asked after the file's SHA-256 is
/// checked against its manifest and before the file is parsed, so an unapproved file never reaches ONNX Runtime.
/// </summary>
public interface IModelApproval
{
    /// <summary>Null when <paramref name="name"/>/<paramref name="version"/> with this ONNX SHA-256 may load; otherwise why not.</summary>
    string? RefusalFor(string name, string version, string onnxSha256);

    /// <summary>The version of <paramref name="name"/> the authority makes active, or null for none.</summary>
    string? ActiveVersion(string name);
}
