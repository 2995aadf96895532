using System.Globalization;
using System.Numerics;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexConvertors.Extensions;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Contracts;

/// <summary>What kind of revert data a call returned.</summary>
public enum RevertKind
{
    /// <summary>No data (a bare revert, or out of gas).</summary>
    Empty,

    /// <summary>Error(string), from require/revert with a message.</summary>
    Error,

    /// <summary>Panic(uint256), from a failed assert, overflow, division by zero and the like.</summary>
    Panic,

    /// <summary>A custom error that matched a declaration given to the decoder.</summary>
    Custom,

    /// <summary>Data that matched no known selector.</summary>
    Unknown,
}

/// <summary>A decoded revert (decoding by Nethereum's <see cref="FunctionCallDecoder"/>): its kind, a readable message, and the arguments.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Message">A readable message, e.g. "Panic 0x11: arithmetic overflow or underflow".</param>
/// <param name="Error">The matching custom error declaration, when <paramref name="Kind"/> is Custom.</param>
/// <param name="Arguments">The decoded arguments (the string, the panic code, or the custom error's values; addresses as <see cref="EthAddress"/>).</param>
public sealed record RevertReason(RevertKind Kind, string Message, ErrorABI? Error, IReadOnlyList<object?> Arguments)
{
    private static readonly FunctionCallDecoder Decoder = new();
    private static readonly ErrorABI[] Builtin = new ABIStringSignatureDeserialiser()
        .ExtractContractABI(["error Error(string message)", "error Panic(uint256 code)"]).Errors;

    /// <summary>Decodes revert data, trying Error(string), Panic(uint256), then the given custom errors.</summary>
    public static RevertReason Decode(ReadOnlySpan<byte> data, IEnumerable<ErrorABI>? customErrors = null)
    {
        if (data.IsEmpty)
        {
            return new RevertReason(RevertKind.Empty, "reverted without data", null, []);
        }

        var hex = data.ToArray().ToHex(true);
        try
        {
            if (Matches(Builtin[0], data, hex))
            {
                var text = (string)Decoder.DecodeError(Builtin[0], hex)[0].Result;
                return new RevertReason(RevertKind.Error, text, null, [text]);
            }

            if (Matches(Builtin[1], data, hex))
            {
                var code = (BigInteger)Decoder.DecodeError(Builtin[1], hex)[0].Result;
                return new RevertReason(RevertKind.Panic, $"Panic 0x{code:x2}: {DescribePanic(code)}", null, [code]);
            }

            foreach (var custom in customErrors ?? [])
            {
                if (Matches(custom, data, hex))
                {
                    var values = Decoder.DecodeError(custom, hex).OrderBy(o => o.Parameter.Order)
                        .Select(o => o.Parameter.Type == "address" ? EthAddress.Parse((string)o.Result) : o.Result).ToList();
                    return new RevertReason(RevertKind.Custom, $"{custom.Name}({string.Join(", ", values.Select(Format))})", custom, values);
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or IndexOutOfRangeException or OverflowException)
        {
            // A selector matched but the body did not decode: report it as unknown data rather than fail the caller.
        }

        return new RevertReason(RevertKind.Unknown, $"unrecognized revert data {hex[..Math.Min(10, hex.Length)]}…", null, []);
    }

    /// <summary>
    /// The selector matches and the body holds at least one 32-byte head word per parameter: Nethereum's decoder pads a
    /// short body with zeros, which would turn truncated (or hostile) data into made-up arguments.
    /// </summary>
    private static bool Matches(ErrorABI error, ReadOnlySpan<byte> data, string hex) =>
        data.Length >= 4 + (32 * error.InputParameters.Length) && Decoder.IsDataForError(error, hex);

    private static string DescribePanic(BigInteger code) => (int)(code > 0xff ? -1 : code) switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "corrupt storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialized function",
        _ => "unknown panic code",
    };

    private static string Format(object? value) => value switch
    {
        byte[] bytes => bytes.ToHex(true),
        string text => "\"" + text + "\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}
