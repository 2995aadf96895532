namespace Predictive.Chain.Keystore;

/// <summary>
/// A keystore could not be read or decrypted. The message names the keystore (its file or "keystore JSON") and the problem;
/// it never contains the password or key material.
/// </summary>
public class KeystoreException : Exception
{
    /// <summary>Creates the exception for a problem with <paramref name="source"/>.</summary>
    public KeystoreException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The keystore file or description.</summary>
    public new string Source { get; }

    /// <summary>The problem alone.</summary>
    public string Problem { get; }
}

/// <summary>The keystore's MAC did not match: the password is wrong (or the file was altered).</summary>
public sealed class WrongKeystorePasswordException : KeystoreException
{
    /// <summary>Creates the exception for <paramref name="source"/>.</summary>
    public WrongKeystorePasswordException(string source)
        : base(source, "wrong password (the MAC check failed; the file may also have been altered)")
    {
    }
}
