using Predictive.Chain.Crypto;
using Predictive.Chain.Keystore;
using Predictive.Chain.LocalChain;

namespace Predictive.Keeper.Configuration;

/// <summary>Loads the keeper's signing key from its configured source; errors name the source, never the secret.</summary>
public static class KeySource
{
    /// <summary>The key named by <paramref name="key"/>.</summary>
    /// <param name="key">The validated key source.</param>
    /// <param name="environment">Reads an environment variable (default: the process environment).</param>
    /// <exception cref="KeeperConfigException">The variable is unset, the key malformed, or the keystore cannot be decrypted.</exception>
    public static PrivateKey Load(KeySourceConfig key, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var env = environment ?? Environment.GetEnvironmentVariable;
        if (key.Dev)
        {
            return AnvilDevAccounts.Keeper;
        }

        if (key.PrivateKeyEnv is { } variable)
        {
            try
            {
                return KeystoreLoader.FromEnvironment(variable, env);
            }
            catch (KeystoreException e)
            {
                throw new KeeperConfigException("key", [$"key.privateKeyEnv: the {e.Source} {e.Problem}."], e);
            }
        }

        try
        {
            return KeystoreLoader.Load(new KeystoreOptions { Path = key.Keystore, PasswordEnvironmentVariable = key.PasswordEnv }, env);
        }
        catch (KeystoreException e)
        {
            throw new KeeperConfigException("key", [$"key.keystore: {e.Message}"], e);
        }
    }
}
