using Predictive.Chain.Keystore;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Predictive.Chain.Tests.Keystore;

/// <summary>
/// The test vectors of the Web3 Secret Storage Definition (password "testpassword"). The scrypt vector is the original
/// wiki one (r = 1, p = 8, also go-ethereum's v3_test_vector.json): the revised scrypt vector on ethereum.org (r = 8, p = 1,
/// salt 25710c2c…) does not reproduce its own listed derived key with OpenSSL's scrypt either.
/// </summary>
[TestClass]
public sealed class KeystoreTests
{
    private const string Password = "testpassword";
    private const string Secret = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    private const string Pbkdf2Vector = """
        {
          "crypto": {
            "cipher": "aes-128-ctr",
            "cipherparams": { "iv": "6087dab2f9fdbbfaddc31a909735c1e6" },
            "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
            "kdf": "pbkdf2",
            "kdfparams": { "c": 262144, "dklen": 32, "prf": "hmac-sha256", "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd" },
            "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
          },
          "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
          "version": 3
        }
        """;

    private const string ScryptVector = """
        {
          "crypto": {
            "cipher": "aes-128-ctr",
            "cipherparams": { "iv": "83dbcc02d8ccb40e466191a123791e0e" },
            "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "kdf": "scrypt",
            "kdfparams": { "dklen": 32, "n": 262144, "p": 8, "r": 1, "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19" },
            "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
          },
          "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
          "version": 3
        }
        """;

    [TestMethod]
    public void Decrypt_Pbkdf2Vector_GivesPublishedKey()
    {
        var key = Web3Keystore.Decrypt(Pbkdf2Vector, Password);
        Assert.AreEqual(Secret, key.ExportSecret().ToHex(true));
        Assert.AreEqual("0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b", key.Address.ToString());
    }

    [TestMethod]
    public void Decrypt_ScryptVector_GivesPublishedKey()
    {
        var key = Web3Keystore.Decrypt(ScryptVector, Password);
        Assert.AreEqual(Secret, key.ExportSecret().ToHex(true));
    }

    [TestMethod]
    public void Decrypt_WrongPassword_ThrowsWrongPasswordWithoutSecrets()
    {
        const string wrong = "hunter2-wrong";
        var error = Assert.ThrowsExactly<WrongKeystorePasswordException>(() => Web3Keystore.Decrypt(Pbkdf2Vector, wrong, "keys/dev.json"));
        Assert.Contains("wrong password", error.Message);
        Assert.Contains("keys/dev.json", error.Message);
        AssertNoSecrets(error, wrong);
    }

    [TestMethod]
    public void Decrypt_CorruptedFields_ThrowsKeystoreExceptionWithoutSecrets()
    {
        foreach (var broken in new[]
        {
            Pbkdf2Vector.Replace("\"version\": 3", "\"version\": 2", StringComparison.Ordinal),
            Pbkdf2Vector.Replace("aes-128-ctr", "aes-128-cbc", StringComparison.Ordinal),
            Pbkdf2Vector.Replace("hmac-sha256", "hmac-sha512", StringComparison.Ordinal),
            Pbkdf2Vector.Replace("\"c\": 262144", "\"c\": 0", StringComparison.Ordinal),
            ScryptVector.Replace("\"n\": 262144", "\"n\": 1000", StringComparison.Ordinal),
            Pbkdf2Vector.Replace("6087dab2f9fdbbfaddc31a909735c1e6", "6087zz", StringComparison.Ordinal),
            Pbkdf2Vector[..40],
        })
        {
            var error = Assert.ThrowsExactly<KeystoreException>(() => Web3Keystore.Decrypt(broken, Password));
            AssertNoSecrets(error, Password);
        }
    }

    [TestMethod]
    public void Load_PasswordFromEnvironmentVariable_DecryptsFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"predictive-keystore-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Pbkdf2Vector);
        try
        {
            var options = new KeystoreOptions { Path = path, PasswordEnvironmentVariable = "TEST_KEYSTORE_PASSWORD" };
            var key = KeystoreLoader.Load(options, name => name == "TEST_KEYSTORE_PASSWORD" ? Password : null);
            Assert.AreEqual(Secret, key.ExportSecret().ToHex(true));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Load_VariableNotSet_ThrowsNamingTheVariable()
    {
        var options = new KeystoreOptions { Path = "/nonexistent/key.json", PasswordEnvironmentVariable = "UNSET_VARIABLE_FOR_TEST" };
        var error = Assert.ThrowsExactly<KeystoreException>(() => KeystoreLoader.Load(options, _ => null));
        Assert.Contains("UNSET_VARIABLE_FOR_TEST", error.Message);
    }

    [TestMethod]
    public void Load_MissingFile_ThrowsWithoutPassword()
    {
        var options = new KeystoreOptions { Path = "/nonexistent/key.json", Password = "s3cret-pass" };
        var error = Assert.ThrowsExactly<KeystoreException>(() => KeystoreLoader.Load(options));
        Assert.Contains("/nonexistent/key.json", error.Message);
        AssertNoSecrets(error, "s3cret-pass");
    }

    [TestMethod]
    public void ToString_OptionsWithPassword_IsRedacted()
    {
        var text = new KeystoreOptions { Path = "k.json", Password = "s3cret-pass" }.ToString();
        Assert.DoesNotContain("s3cret-pass", text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", text);
    }

    private static void AssertNoSecrets(Exception error, string password)
    {
        var everything = error.ToString();
        Assert.DoesNotContain(password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[2..], everything, StringComparison.OrdinalIgnoreCase);
    }
}
