using System.Globalization;

namespace Predictive.Onnx.Registry;

/// <summary>
/// The operator sets a served model may import: the default domain from opset 11 (the oldest PyTorch and the trainer
/// still emit) to 21, and <c>ai.onnx.ml</c> 1 to 3. Other domains (custom or vendor operators) are refused, so a model
/// that loads here runs on any stock ONNX Runtime.
/// </summary>
public static class OpsetPolicy
{
    /// <summary>The oldest default-domain opset accepted.</summary>
    public const long MinDefault = 11;

    /// <summary>The newest default-domain opset accepted.</summary>
    public const long MaxDefault = 21;

    /// <summary>The newest <c>ai.onnx.ml</c> opset accepted.</summary>
    public const long MaxMl = 3;

    /// <summary>Lists what is unsupported in <paramref name="opsets"/>; empty when every import is accepted.</summary>
    public static IReadOnlyList<string> FindProblems(IReadOnlyDictionary<string, long> opsets)
    {
        ArgumentNullException.ThrowIfNull(opsets);
        var problems = new List<string>();
        if (!opsets.TryGetValue(string.Empty, out var main))
        {
            problems.Add("no default-domain opset is imported");
        }
        else if (main is < MinDefault or > MaxDefault)
        {
            problems.Add(Invariant($"default-domain opset {main} is unsupported; expected {MinDefault} to {MaxDefault}"));
        }

        foreach (var (domain, version) in opsets)
        {
            if (domain.Length == 0)
            {
                continue;
            }

            if (domain != "ai.onnx.ml")
            {
                problems.Add($"operator domain '{domain}' is unsupported; only the default domain and ai.onnx.ml are");
            }
            else if (version is < 1 or > MaxMl)
            {
                problems.Add(Invariant($"ai.onnx.ml opset {version} is unsupported; expected 1 to {MaxMl}"));
            }
        }

        return problems;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
