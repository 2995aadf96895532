using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Predictive.Chain.Contracts;

/// <summary>A compiled contract: its creation bytecode and ABI JSON, as written by eng/chain/compile.js.</summary>
/// <param name="Name">The contract name (the file name without .json).</param>
/// <param name="Bytecode">The creation (init) code.</param>
/// <param name="AbiJson">The ABI, as JSON text.</param>
public sealed record ContractArtifact(string Name, byte[] Bytecode, string AbiJson)
{
    /// <summary>Init code followed by the constructor arguments of <paramref name="deployment"/>, encoded by Nethereum's <see cref="ConstructorCallEncoder"/>.</summary>
    public byte[] DeploymentData<TDeployment>(TDeployment deployment)
        where TDeployment : ContractDeploymentMessage
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return new ConstructorCallEncoder().EncodeRequest(deployment, Bytecode.ToHex()).HexToByteArray();
    }
}

/// <summary>
/// The generated artifacts directory (<c>node eng/chain/compile.js --out DIR</c>): one <c>Name.json</c> per contract with
/// "abi" and "bytecode". Generated, never edited by hand.
/// </summary>
public sealed class ContractArtifacts
{
    /// <summary>The vault.</summary>
    public const string Vault = "PredictiveVault";

    /// <summary>The mintable test ERC-20.</summary>
    public const string TestToken = "TestToken";

    /// <summary>Chainlink's mock aggregator (npm @chainlink/contracts 1.5.0): the local chain's price feed.</summary>
    public const string MockV3Aggregator = "MockV3Aggregator";

    /// <summary>A test feed whose round fields are all set by its deployer (unanswered rounds).</summary>
    public const string RoundControlledFeed = "RoundControlledFeed";

    /// <summary>Uniswap V2 factory (npm @uniswap/v2-core 1.0.1).</summary>
    public const string UniswapV2Factory = "UniswapV2Factory";

    /// <summary>Uniswap V2 pair (npm @uniswap/v2-core 1.0.1); its init-code hash is built into the router.</summary>
    public const string UniswapV2Pair = "UniswapV2Pair";

    /// <summary>Uniswap V2 Router02 (npm @uniswap/v2-periphery).</summary>
    public const string UniswapV2Router02 = "UniswapV2Router02";

    /// <summary>Wrapped ether (npm @uniswap/v2-periphery).</summary>
    public const string Weth9 = "WETH9";

    private readonly string _directory;

    private ContractArtifacts(string directory) => _directory = directory;

    /// <summary>Opens an artifacts directory.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist (run eng/chain/compile.js).</exception>
    public static ContractArtifacts Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Directory.Exists(directory)
            ? new ContractArtifacts(directory)
            : throw new DirectoryNotFoundException($"Contract artifacts directory '{directory}' does not exist; generate it with `node eng/chain/compile.js --out {directory}`.");
    }

    /// <summary>Loads one artifact by contract name.</summary>
    /// <exception cref="FileNotFoundException">No such artifact.</exception>
    /// <exception cref="InvalidDataException">The file lacks "abi" or a hex "bytecode".</exception>
    public ContractArtifact Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = Path.Combine(_directory, name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No artifact for contract '{name}' in '{_directory}'.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        if (!root.TryGetProperty("bytecode", out var bytecode) || bytecode.ValueKind != JsonValueKind.String || !root.TryGetProperty("abi", out var abi))
        {
            throw new InvalidDataException($"Artifact '{path}' needs \"abi\" and a hex \"bytecode\".");
        }

        var code = bytecode.GetString()!.HexToByteArray();
        return code.Length == 0
            ? throw new InvalidDataException($"Artifact '{path}' has empty bytecode (an interface or abstract contract).")
            : new ContractArtifact(name, code, abi.GetRawText());
    }
}
