using Nethereum.Hex.HexConvertors.Extensions;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Keystore;

/// <summary>
/// Decrypts Web3 Secret Storage version 3 keystores with Nethereum's KeyStoreService (scrypt or PBKDF2-HMAC-SHA256, MAC check,
/// AES-128-CTR), after checking the file's structure and bounding its KDF parameters here.
/// </summary>
public static class Web3Keystore
{
    // Bounds on attacker-controlled KDF parameters, so a hostile file cannot demand unbounded memory or time.
    private const int MaxScryptN = 1 << 20;
    private const int MaxScryptRp = 64;
    private const int MaxPbkdf2Iterations = 10_000_000;

    /// <summary>Decrypts the keystore JSON <paramref name="json"/> with <paramref name="password"/>.</summary>
    /// <param name="json">The keystore file's text.</param>
    /// <param name="password">The password. It never appears in exceptions.</param>
    /// <param name="source">How to name the keystore in errors (e.g. its path).</param>
    /// <exception cref="WrongKeystorePasswordException">The password is wrong.</exception>
    /// <exception cref="KeystoreException">The JSON is not a supported v3 keystore.</exception>
    public static PrivateKey Decrypt(string json, string password, string source = "keystore JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // The parser's message can quote the input; the input holds no secret in clear, but keep errors uniform and short.
            throw new KeystoreException(source, "not valid JSON");
        }

        using (document)
        {
            return Decrypt(document.RootElement, json, password, source);
        }
    }

    private static PrivateKey Decrypt(JsonElement root, string json, string password, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !TryGetInt(root, "version", out var version) || version != 3)
        {
            throw new KeystoreException(source, "not a version 3 keystore");
        }

        var crypto = Property(root, "crypto", source) ?? Property(root, "Crypto", source)
            ?? throw new KeystoreException(source, "missing 'crypto'");
        var cipher = RequiredString(crypto, "cipher", source);
        if (!string.Equals(cipher, "aes-128-ctr", StringComparison.Ordinal))
        {
            throw new KeystoreException(source, $"cipher '{cipher}' is not supported (aes-128-ctr is)");
        }

        var ciphertext = RequiredHex(crypto, "ciphertext", source);
        var iv = RequiredHex(Property(crypto, "cipherparams", source) ?? throw new KeystoreException(source, "missing 'cipherparams'"), "iv", source);
        if (iv.Length != 16)
        {
            throw new KeystoreException(source, $"iv has {iv.Length} bytes, not 16");
        }

        _ = RequiredHex(crypto, "mac", source);
        CheckKdf(crypto, source);
        byte[] plain;
        try
        {
            plain = new KeyStoreService().DecryptKeyStoreFromJson(password, json);
        }
        catch (DecryptionException)
        {
            throw new WrongKeystorePasswordException(source);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or Newtonsoft.Json.JsonException or NullReferenceException)
        {
            // The library's message may quote the input; keep errors uniform and free of key material.
            throw new KeystoreException(source, $"the keystore library refused it ({e.GetType().Name})");
        }

        try
        {
            return PrivateKey.FromBytes(plain);
        }
        catch (ArgumentException)
        {
            throw new KeystoreException(source, "decrypted secret is not a valid secp256k1 private key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Checks the attacker-controlled KDF parameters against our bounds before the library derives anything, so a hostile
    /// file cannot demand unbounded memory or time.
    /// </summary>
    private static void CheckKdf(JsonElement crypto, string source)
    {
        var kdf = RequiredString(crypto, "kdf", source);
        var parameters = Property(crypto, "kdfparams", source) ?? throw new KeystoreException(source, "missing 'kdfparams'");
        _ = RequiredHex(parameters, "salt", source);
        var length = RequiredInt(parameters, "dklen", source);
        if (length < 32 || length > 64)
        {
            throw new KeystoreException(source, $"dklen {length} is not in 32..64");
        }

        switch (kdf)
        {
            case "scrypt":
                var n = RequiredInt(parameters, "n", source);
                var r = RequiredInt(parameters, "r", source);
                var p = RequiredInt(parameters, "p", source);
                if (n < 2 || n > MaxScryptN || (n & (n - 1)) != 0)
                {
                    throw new KeystoreException(source, $"scrypt n {n} is not a power of two in 2..{MaxScryptN}");
                }

                if (r < 1 || p < 1 || (long)r * p > MaxScryptRp)
                {
                    throw new KeystoreException(source, $"scrypt r {r} and p {p} are out of range (r·p ≤ {MaxScryptRp})");
                }

                break;
            case "pbkdf2":
                var prf = RequiredString(parameters, "prf", source);
                if (!string.Equals(prf, "hmac-sha256", StringComparison.Ordinal))
                {
                    throw new KeystoreException(source, $"pbkdf2 prf '{prf}' is not supported (hmac-sha256 is)");
                }

                var iterations = RequiredInt(parameters, "c", source);
                if (iterations < 1 || iterations > MaxPbkdf2Iterations)
                {
                    throw new KeystoreException(source, $"pbkdf2 iteration count {iterations} is not in 1..{MaxPbkdf2Iterations}");
                }

                break;
            default:
                throw new KeystoreException(source, $"kdf '{kdf}' is not supported (scrypt and pbkdf2 are)");
        }
    }

    private static JsonElement? Property(JsonElement element, string name, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new KeystoreException(source, $"expected an object around '{name}'");
        }

        return element.TryGetProperty(name, out var value) ? value : null;
    }

    private static string RequiredString(JsonElement element, string name, string source) =>
        Property(element, name, source) is { ValueKind: JsonValueKind.String } value
            ? value.GetString()!
            : throw new KeystoreException(source, $"missing or non-string '{name}'");

    private static byte[] RequiredHex(JsonElement element, string name, string source)
    {
        try
        {
            return RequiredString(element, name, source).HexToByteArray();
        }
        catch (FormatException)
        {
            throw new KeystoreException(source, $"'{name}' is not hex");
        }
    }

    private static int RequiredInt(JsonElement element, string name, string source) =>
        TryGetInt(element, name, out var value) ? value : throw new KeystoreException(source, $"missing or non-integer '{name}'");

    private static bool TryGetInt(JsonElement element, string name, out int value)
    {
        value = 0;
        return element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt32(out value)
            || (property.ValueKind == JsonValueKind.String && int.TryParse(property.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value));
    }
}
