using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CsCheck;
using Predictive.Service.Api.Parsing;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Api.Parsing;

/// <summary>
/// The direct number scanners (<see cref="JsonNumber"/>, <see cref="NumberArrays"/>) against the runtime's parsers:
/// every number they accept must give exactly the double System.Text.Json gives (bits; <see cref="Utf8Parser"/>, so the
/// API's values do not change), which is <see cref="double.Parse(string, IFormatProvider)"/>'s but for rare halfway
/// cases past 19 digits that Utf8Parser rounds differently; an array cut anywhere is never accepted, and anything that
/// is not a plain number array goes back to the reader.
/// </summary>
[TestClass]
public sealed class NumberScanTests
{
    [TestMethod]
    public void Scan_RandomNumbersInAnyContext_GivesTheRuntimesBits()
    {
        Contexts.Sample(c =>
        {
            var bytes = Encoding.ASCII.GetBytes(c.Prefix + c.Number + c.Suffix);

            var end = JsonNumber.Scan(bytes, c.Prefix.Length, out var value);

            Assert.AreEqual(c.Prefix.Length + c.Number.Length, end, c.Number);
            AssertSameBits(Parse(c.Number), value, c.Number);
        }, iter: 20_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void ParseShort_RandomNumbersBeforeADelimiter_GivesTheRuntimesBitsOrDeclines()
    {
        Contexts.Sample(c =>
        {
            var bytes = Encoding.ASCII.GetBytes(c.Prefix + c.Number + "," + c.Suffix);

            var value = JsonNumber.ParseShort(bytes, c.Prefix.Length, c.Prefix.Length + c.Number.Length);

            if (!double.IsNaN(value))
            {
                AssertSameBits(Parse(c.Number), value, c.Number);
            }
        }, iter: 20_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    [DataRow("-622509244060.2195600000E5")]
    [DataRow("39760556413243540.000")]
    [DataRow("-50920.057484005237760e14")]
    public void Scan_HalfwayCasesPast19Digits_GiveWhatSystemTextJsonGives(string number)
    {
        var bytes = Encoding.ASCII.GetBytes(number + ",");
        var reader = new System.Text.Json.Utf8JsonReader(bytes.AsSpan(0, number.Length));
        reader.Read();
        var expected = reader.GetDouble();

        var end = JsonNumber.Scan(bytes, 0, out var value);

        Assert.AreEqual(number.Length, end);
        AssertSameBits(expected, value, number);
    }

    [TestMethod]
    [DataRow("-0.123456")]
    [DataRow("0.05")]
    [DataRow("9.99999999")]
    [DataRow("-0.1")]
    public void ParseShort_CommonShapes_TakesThem(string number)
    {
        var bytes = Encoding.ASCII.GetBytes(number + ", 0.1234567]");

        var value = JsonNumber.ParseShort(bytes, 0, number.Length);

        AssertSameBits(Parse(number), value, number);
    }

    [TestMethod]
    public void ScanWeights_RandomArrays_GivesTheRuntimesBitsAndFloatCasts()
    {
        Arrays.Sample(a =>
        {
            var (json, numbers) = a;
            var bytes = Encoding.ASCII.GetBytes(json + ", \"next\": 1}");
            using var weights = new PooledBuffer<double>(4);
            using var previous = new PooledBuffer<float>(4);
            var i = 0;

            var status = NumberArrays.ScanWeights(bytes, ref i, weights, previous);

            Assert.AreEqual(ScanStatus.Done, status, json);
            Assert.AreEqual(json.Length, i);
            Assert.AreEqual(numbers.Length, weights.Count, json);
            for (var k = 0; k < numbers.Length; k++)
            {
                var expected = Parse(numbers[k]);
                AssertSameBits(expected, weights.Span[k], numbers[k]);
                Assert.AreEqual(BitConverter.SingleToInt32Bits((float)expected), BitConverter.SingleToInt32Bits(previous.Span[k]), numbers[k]);
            }
        }, iter: 3_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void ScanFeatures_RandomRows_GivesFloatsOfTheRuntimesDoubles()
    {
        Gen.Int[0, 5].SelectMany(n => Arrays.Array[n, n]).Sample(rows =>
        {
            var json = "[" + string.Join(", ", rows.Select(r => r.Json)) + "]";
            var bytes = Encoding.ASCII.GetBytes(json + "}");
            using var values = new PooledBuffer<float>(4);
            using var widths = new PooledBuffer<int>(4);
            var i = 0;

            var status = NumberArrays.ScanFeatures(bytes, ref i, values, widths, out var width, out var nonFinite);

            Assert.AreEqual(ScanStatus.Done, status, json);
            Assert.AreEqual(json.Length, i);
            var expected = rows.SelectMany(r => r.Numbers).Select(Parse).ToArray();
            var floats = expected.Select(x => Math.Abs(x) <= float.MaxValue ? (float)x : float.NaN).ToArray();
            CollectionAssert.AreEqual(floats.Select(BitConverter.SingleToInt32Bits).ToArray(), values.Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray(), json);
            CollectionAssert.AreEqual(rows.Select(r => r.Numbers.Length).ToArray(), widths.Span.ToArray());
            Assert.AreEqual(floats.Any(float.IsNaN), nonFinite);
            var lengths = rows.Select(r => r.Numbers.Length).Distinct().ToArray();
            Assert.AreEqual(rows.Length == 0 ? -2 : lengths.Length == 1 ? lengths[0] : -1, width);
        }, iter: 1_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void ScanFeaturesAndWeights_CutAnywhere_AreNeverAccepted()
    {
        Gen.Int[1, 3].SelectMany(n => Arrays.Array[n, n]).Sample(rows =>
        {
            var weights = rows[0].Json;
            var features = "[" + string.Join(",\n ", rows.Select(r => r.Json)) + "]";
            for (var cut = 0; cut < features.Length; cut++)
            {
                Assert.AreEqual(ScanStatus.NeedMore, ScanFeatures(features[..cut]), features[..cut]);
            }

            for (var cut = 0; cut < weights.Length; cut++)
            {
                Assert.AreEqual(ScanStatus.NeedMore, ScanWeights(weights[..cut]), weights[..cut]);
            }
        }, iter: 300, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    [DataRow("[0.5, \"0.5\"]")]
    [DataRow("[0.5, null]")]
    [DataRow("[null]")]
    [DataRow("[NaN]")]
    [DataRow("[-Infinity]")]
    [DataRow("[0.5,,0.5]")]
    [DataRow("[0.5,]")]
    [DataRow("[0.5 0.5]")]
    [DataRow("[01]")]
    [DataRow("[1.]")]
    [DataRow("[.5]")]
    [DataRow("[+1]")]
    [DataRow("[1e]")]
    [DataRow("[1e+]")]
    [DataRow("[-]")]
    [DataRow("[0x1]")]
    [DataRow("[[0.5]]")]
    [DataRow("[0.5, {}]")]
    [DataRow("[0.5\u0001]")]
    public void ScanWeights_NotAPlainNumberArray_FallsBackToTheReader(string json)
    {
        Assert.AreEqual(ScanStatus.Fallback, ScanWeights(json + ", \"features\": []}"));
    }

    [TestMethod]
    [DataRow("[[0.5], null]")]
    [DataRow("[[0.5, \"1\"]]")]
    [DataRow("[0.5]")]
    [DataRow("[[0.5]], [1]")]
    [DataRow("[[0.5] [1]]")]
    [DataRow("[[0.5],]")]
    public void ScanFeatures_NotPlainRows_FallsBackToTheReader(string json)
    {
        // The last case is a complete value followed by more: the scan stops after the value and leaves the rest.
        var status = ScanFeatures(json + "}");

        Assert.AreEqual(json.StartsWith("[[0.5]], ", StringComparison.Ordinal) ? ScanStatus.Done : ScanStatus.Fallback, status);
    }

    private static ScanStatus ScanWeights(string json)
    {
        using var weights = new PooledBuffer<double>(4);
        using var previous = new PooledBuffer<float>(4);
        var i = 0;
        return NumberArrays.ScanWeights(Encoding.ASCII.GetBytes(json), ref i, weights, previous);
    }

    private static ScanStatus ScanFeatures(string json)
    {
        using var values = new PooledBuffer<float>(4);
        using var widths = new PooledBuffer<int>(4);
        var i = 0;
        return NumberArrays.ScanFeatures(Encoding.ASCII.GetBytes(json), ref i, values, widths, out _, out _);
    }

    /// <summary>
    /// The double System.Text.Json reads (its reader converts with <see cref="Utf8Parser"/>), checked against
    /// <see cref="double.Parse(string, IFormatProvider)"/>: they differ only on some halfway cases with more than 19
    /// significant digits (-622509244060.2195600000E5: Utf8Parser rounds the tie up, double.Parse to even).
    /// </summary>
    private static double Parse(string number)
    {
        Assert.IsTrue(Utf8Parser.TryParse(Encoding.ASCII.GetBytes(number), out double reader, out var used) && used == number.Length, number);
        var parsed = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (BitConverter.DoubleToInt64Bits(reader) != BitConverter.DoubleToInt64Bits(parsed))
        {
            var mantissa = number.TrimStart('-').Split('e', 'E')[0].Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');
            Assert.IsTrue(mantissa.Length > 19, $"{number}: the runtime's parsers differ ({reader:R}, {parsed:R})");
        }

        return reader;
    }

    private static void AssertSameBits(double expected, double actual, string number) =>
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual), $"{number}: expected {expected:R}, got {actual:R}");

    private static Gen<string> Digits(int min, int max) => Gen.Char['0', '9'].Array[min, max].Select(d => new string(d));

    /// <summary>JSON numbers of many shapes: signs, 1–20 integer digits, fractions around the 8-byte boundary, exponents.</summary>
    private static readonly Gen<string> Number =
        from sign in Gen.OneOf("", "-")
        from integer in Gen.Frequency((3, Gen.Const("0")), (2, from first in Gen.Char['1', '9'] from rest in Digits(0, 19) select first + rest))
        from fraction in Gen.Frequency(
            (1, Gen.Const(string.Empty)),
            (6, Digits(1, 9).Select(d => "." + d)),
            (1, Digits(10, 22).Select(d => "." + d)),
            (1, from zeros in Gen.Int[1, 25] from d in Digits(1, 8) select "." + new string('0', zeros) + d),
            (1, from d in Digits(1, 6) from zeros in Gen.Int[1, 10] select "." + d + new string('0', zeros)))
        from exponent in Gen.Frequency(
            (4, Gen.Const(string.Empty)),
            (1, from e in Gen.OneOf("e", "E") from s in Gen.OneOf("", "+", "-") from d in Digits(1, 3) select e + s + d))
        select sign + integer + fraction + exponent;

    private sealed record Context(string Prefix, string Number, string Suffix);

    /// <summary>A number at a varying offset, followed by a delimiter, whitespace, longer data, or the end of the data.</summary>
    private static readonly Gen<Context> Contexts =
        from prefix in Gen.Int[0, 9].Select(n => "[" + new string(' ', n))
        from number in Number
        from suffix in Gen.OneOf(string.Empty, ",", "]", " ", "\n,", ", 0.123456789, 1]")
        select new Context(prefix, number, suffix);

    private sealed record Row(string Json, string[] Numbers);

    /// <summary>A plain number array with random whitespace (never empty of numbers when cut tests need a row).</summary>
    private static readonly Gen<Row> Arrays =
        from numbers in Number.Array[0, 14]
        from before in Gen.OneOf(string.Empty, " ", "\n  ")
        from between in Gen.OneOf(", ", ",", " , ", ",\n\t")
        select new Row("[" + before + string.Join(between, numbers) + before + "]", numbers);
}
