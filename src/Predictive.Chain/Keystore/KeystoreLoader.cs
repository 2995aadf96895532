using Predictive.Chain.Crypto;

namespace Predictive.Chain.Keystore;

/// <summary>Loads the signing key described by <see cref="KeystoreOptions"/>.</summary>
public static class KeystoreLoader
{
    /// <summary>
    /// Reads the keystore file and decrypts it. The password is <see cref="KeystoreOptions.Password"/> when set,
    /// otherwise the value of the environment variable <see cref="KeystoreOptions.PasswordEnvironmentVariable"/>.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="environment">Reads an environment variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <exception cref="KeystoreException">The file, the password source or the decryption failed; never carries the password.</exception>
    public static PrivateKey Load(KeystoreOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new KeystoreException("keystore options", "Path is not set");
        }

        var password = options.Password;
        if (password is null)
        {
            var variable = options.PasswordEnvironmentVariable;
            if (string.IsNullOrWhiteSpace(variable))
            {
                throw new KeystoreException(options.Path, "no password: set Password or PasswordEnvironmentVariable");
            }

            password = (environment ?? Environment.GetEnvironmentVariable)(variable)
                ?? throw new KeystoreException(options.Path, $"no password: environment variable {variable} is not set");
        }

        string json;
        try
        {
            json = File.ReadAllText(options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeystoreException(options.Path, $"cannot read the file ({e.GetType().Name})", e);
        }

        return Web3Keystore.Decrypt(json, password, options.Path);
    }

    /// <summary>The key held (as 64 hex digits, optionally 0x-prefixed) by the environment variable <paramref name="variable"/>.</summary>
    /// <param name="variable">The variable's name.</param>
    /// <param name="environment">Reads an environment variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <exception cref="KeystoreException">The variable is unset or does not hold a key; the message never carries its value.</exception>
    public static PrivateKey FromEnvironment(string variable, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        var hex = (environment ?? Environment.GetEnvironmentVariable)(variable);
        if (string.IsNullOrWhiteSpace(hex))
        {
            throw new KeystoreException($"environment variable {variable}", "is not set");
        }

        try
        {
            return PrivateKey.FromHex(hex.Trim());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new KeystoreException($"environment variable {variable}", "does not hold a 32-byte hex private key");
        }
    }
}
