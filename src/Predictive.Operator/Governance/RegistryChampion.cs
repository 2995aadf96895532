using Microsoft.Extensions.Options;
using Predictive.Chain.Governance;
using Predictive.Operator.Lifecycle;
using Predictive.Operator.Options;

namespace Predictive.Operator.Governance;

/// <summary>
/// Governed: the registry's active, approved version of <see cref="RetrainOptions.ModelName"/>, read
/// <see cref="GovernanceOptions.Confirmations"/> blocks deep, with the ONNX SHA-256 the chain approved. The governed
/// service serves the same version, and ignores the models directory's activation record, so the operator does too.
/// </summary>
public sealed class RegistryChampion(IOptions<OperatorOptions> options) : IChampionSource
{
    /// <inheritdoc />
    public async Task<Champion?> CurrentAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var target = GovernanceTarget.From(o.Governance);
        var web3 = await target.ConnectAsync(null, cancellationToken).ConfigureAwait(false);
        var snapshot = await new RegistryReader(web3, target.Registry).ReadConfirmedAsync(o.Governance.Confirmations).ConfigureAwait(false);
        var id = "0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf(o.Retrain.ModelName));
        var active = snapshot.Models.FirstOrDefault(m => m.Active && m.Status == RegistryStatus.Approved && string.Equals(m.ModelId, id, StringComparison.OrdinalIgnoreCase));
        return active is null
            ? null
            : new Champion($"{o.Retrain.ModelName}/{active.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}", active.OnnxSha256, $"registry {target.Registry} at block {snapshot.Block}");
    }
}
