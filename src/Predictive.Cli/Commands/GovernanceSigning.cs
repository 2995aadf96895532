using System.CommandLine;
using Predictive.Chain.Crypto;
using Predictive.Chain.Keystore;
using Predictive.Chain.LocalChain;

namespace Predictive.Cli.Commands;

/// <summary>
/// Who signs a governance command: the key sources the keeper uses (a Web3 keystore with its password from an
/// environment variable, or an environment variable holding the key), or one of anvil's dev accounts, which sign only on
/// the local chain id.
/// </summary>
internal static class GovernanceSigning
{
    public static readonly Option<string?> Account = new("--account") { Description = "Local chain only: the dev account that signs: owner (the default), voter1, voter2 or guardian." };
    public static readonly Option<string?> Keystore = new("--keystore") { Description = "A Web3 (v3) keystore file holding the signing key; its password is read from --password-env." };
    public static readonly Option<string> PasswordEnv = new("--password-env") { Description = "The environment variable holding the keystore's password.", DefaultValueFactory = _ => "PREDICTIVE_KEYSTORE_PASSWORD" };
    public static readonly Option<string?> PrivateKeyEnv = new("--private-key-env") { Description = "An environment variable holding the signing key (hex)." };

    /// <summary>Adds the options to a signing command.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Account);
        command.Options.Add(Keystore);
        command.Options.Add(PasswordEnv);
        command.Options.Add(PrivateKeyEnv);
    }

    /// <summary>The signing key the options name, refusing a dev account off the local chain.</summary>
    /// <exception cref="CliException">More than one source, an unknown account, a dev account on another chain, or an unreadable key.</exception>
    public static PrivateKey Key(ParseResult parse, LocalChainManifest manifest, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(manifest);
        var (account, keystore, variable) = (parse.GetValue(Account), parse.GetValue(Keystore), parse.GetValue(PrivateKeyEnv));
        var given = (account is null ? 0 : 1) + (keystore is null ? 0 : 1) + (variable is null ? 0 : 1);
        if (given > 1)
        {
            throw new CliException("Give one signer: --account (local chain), --keystore or --private-key-env.");
        }

        try
        {
            if (keystore is not null)
            {
                return KeystoreLoader.Load(new KeystoreOptions { Path = Path.GetFullPath(keystore), PasswordEnvironmentVariable = parse.GetValue(PasswordEnv) }, environment);
            }

            if (variable is not null)
            {
                return KeystoreLoader.FromEnvironment(variable, environment);
            }
        }
        catch (KeystoreException e)
        {
            throw new CliException($"{(keystore is null ? "--private-key-env" : "--keystore")}: {e.Message}.");
        }

        if (manifest.ChainId != AnvilDevAccounts.ChainId)
        {
            throw new CliException($"Chain {manifest.ChainId} is not the local chain ({AnvilDevAccounts.ChainId}): its dev accounts' keys are public, so they sign only there. Give --keystore FILE (password in --password-env) or --private-key-env VAR.");
        }

        return (account ?? "owner").ToLowerInvariant() switch
        {
            "owner" => AnvilDevAccounts.Owner,
            "voter1" => AnvilDevAccounts.Voters[1],
            "voter2" => AnvilDevAccounts.Voters[2],
            "guardian" => AnvilDevAccounts.Guardian,
            var other => throw new CliException($"--account must be owner, voter1, voter2 or guardian, not '{other}'."),
        };
    }
}
