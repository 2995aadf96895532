namespace Predictive.Chain.Keystore;

/// <summary>
/// Where the signing key comes from: a v3 keystore file and its password, given either directly (configuration, e.g. user secrets)
/// or through the name of an environment variable. Bind from configuration section "Chain:Keystore".
/// </summary>
public sealed class KeystoreOptions
{
    /// <summary>The configuration section this binds from.</summary>
    public const string SectionName = "Chain:Keystore";

    /// <summary>Path to the keystore JSON file.</summary>
    public string? Path { get; set; }

    /// <summary>The password itself. Prefer <see cref="PasswordEnvironmentVariable"/> outside development.</summary>
    public string? Password { get; set; }

    /// <summary>The name of an environment variable holding the password.</summary>
    /// <value>The default value is PREDICTIVE_KEYSTORE_PASSWORD.</value>
    public string? PasswordEnvironmentVariable { get; set; } = "PREDICTIVE_KEYSTORE_PASSWORD";

    /// <summary>Shows the path and the variable name; the password is redacted.</summary>
    public override string ToString() =>
        $"KeystoreOptions(Path = {Path ?? "(none)"}, Password = {(Password is null ? "(none)" : "[redacted]")}, PasswordEnvironmentVariable = {PasswordEnvironmentVariable ?? "(none)"})";
}
