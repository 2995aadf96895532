using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Predictive.Service.Api;
using Predictive.Service.Api.Parsing;
using Predictive.Service.Options;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Api.Parsing;

/// <summary>
/// The streaming targets parser against System.Text.Json's reading of the same body into the request records (the
/// former path), on random valid bodies fed in random pieces, and its errors on bad bodies.
/// </summary>
[TestClass]
public sealed class TargetsBodyParserTests
{
    private static readonly ServiceOptions Options = new() { MaxPortfolios = 4, MaxBodyBytes = 4096 };

    [TestMethod]
    public void Feed_RandomValidBodiesInRandomPieces_AgreesWithDtoDeserialization() => AgreesWithDto(Bodies, iter: 3_000);

    /// <summary>
    /// Bodies the direct scan takes whole (after the first portfolio, which the reader parses): it must read them
    /// exactly as System.Text.Json does, whether they arrive at once or cut anywhere.
    /// </summary>
    [TestMethod]
    public void Feed_RandomPlainBodiesInRandomPieces_AgreesWithDtoDeserialization() => AgreesWithDto(PlainBodies, iter: 2_000);

    [TestMethod]
    public void Feed_WeightsTheScanDoesNotTake_AreReadAsBefore()
    {
        // After a plain first portfolio the scanner takes over; strings, null and exponents go back to the reader.
        var json = """
            {"portfolios":[
              {"id":"p0","assets":["A","B"],"currentWeights":[0.5,0.5],"features":[[1],[2]]},
              {"id":"p1","assets":["A","B"],"currentWeights":["0.25",0.75],"features":[[1],[2]]},
              {"id":"p2","assets":["A","B"],"currentWeights":null,"features":[[1],[2]]},
              {"id":"p3","assets":["A","B"],"currentWeights":[2.5e-1,7.5E-1],"features":[[1],[2]]},
              {"id":"p4","assets":["A","B"],"currentWeights":[1e400,-0.0],"features":[[1],[2]]},
              {"id":"p5","assets":["A","B"],"currentWeights":[0.5, 0.5 ],"features":[[1],[2]]}
            ]}
            """;
        var bytes = Encoding.UTF8.GetBytes(json);
        var dto = JsonSerializer.Deserialize(bytes, ServiceJsonContext.Default.TargetsRequest)!;

        foreach (var piece in new[] { bytes.Length, 1, 13, 64 })
        {
            using var batch = ParseInPieces(bytes, piece, maxPortfolios: 100);

            AssertSame(dto, batch);
        }
    }

    [TestMethod]
    [DataRow("[0.5, null]", "portfolios[1].currentWeights[1]", "System.Double")]
    [DataRow("[0.5, \"x\"]", "portfolios[1].currentWeights[1]", "System.Double")]
    [DataRow("[0.5, NaN]", "portfolios[1].currentWeights[1]", "finite JSON numbers")]
    [DataRow("[0.5, 01]", "portfolios[1].currentWeights[1]", "Invalid leading zero")]
    [DataRow("[0.5, 0.2", "portfolios[1].currentWeights[1]", "invalid end of a number")]
    [DataRow("{}", "portfolios[1].currentWeights", "System.Double[]")]
    public async Task ReadAsync_BadWeightsAfterAPlainPortfolio_Returns400NamingField(string weights, string field, string message)
    {
        var plain = """{"id":"p0","assets":["A"],"currentWeights":[1],"features":[[1]]}""";
        var json = $$"""{"portfolios":[{{plain}},{"id":"p1","assets":["A"],"currentWeights":{{weights}}""" + (weights.EndsWith(']') || weights == "{}" ? "}]}" : string.Empty);

        var (batch, problem) = await ReadAsync(json);

        AssertRefusedNaming(batch, problem, field, message);
    }

    [TestMethod]
    [DataRow("""{"portfolios":[{"id":"p1","assets":["A"],"currentWeights":[1],"features":[[0.1,NaN]]}]}""", "portfolios[0].features[0][1]", "finite JSON numbers")]
    [DataRow("""{"portfolios":[{"id":"p1","assets":["A"],"currentWeights":[0.5,Infinity]}]}""", "portfolios[0].currentWeights[1]", "finite JSON numbers")]
    [DataRow("""{"portfolios":[{"id":"p1","assets":["A"],"currentWeights":[1],"features":[0.1,0.2]}]}""", "portfolios[0].features[0]", "System.Double[]")]
    [DataRow("""{"portfolios":[{"id":"p1","assets":["A"],"currentWeights":[[1]]}]}""", "portfolios[0].currentWeights[0]", "System.Double")]
    [DataRow("""{"portfolios":[{"id":"p1","assets":["A"],"currentWeights":[1],"features":[[0.1,"x"]]}]}""", "portfolios[0].features[0][1]", "System.Double")]
    [DataRow("""{"portfolios":{"id":"p1"}}""", "portfolios", "IReadOnlyList")]
    [DataRow("""{"portfolios":[{"id":"p1","assets":["A"],"currentWeights":[1],"features":[[0.1,0.2""", "portfolios[0].features[0][1]", "invalid end of a number")]
    [DataRow("""{"portfolios":[{"id":"p1",""", "portfolios[0]", "end of data")]
    [DataRow("""{"portfolios":[]} x""", "$", "after a single JSON value")]
    [DataRow("""{"portfolios":[{"id":"p1","weights":[1]}]}""", "portfolios[0].weights", "could not be mapped")]
    [DataRow("""[{"id":"p1"}]""", "$", "TargetsRequest")]
    [DataRow("null", "$", "The body is null")]
    [DataRow("", "$", "The body is empty")]
    public async Task ReadAsync_BadBody_Returns400NamingField(string json, string field, string message)
    {
        var (batch, problem) = await ReadAsync(json);

        AssertRefusedNaming(batch, problem, field, message);
    }

    [TestMethod]
    public async Task ReadAsync_BodyOverLimit_Returns413()
    {
        var json = $$"""{"portfolios":[{"id":"{{new string('x', 5000)}}"}]}""";

        var (batch, problem) = await ReadAsync(json);

        Assert.IsNull(batch);
        Assert.AreEqual(StatusCodes.Status413PayloadTooLarge, ((ProblemHttpResult)problem!).StatusCode);
    }

    [TestMethod]
    public async Task ReadAsync_MorePortfoliosThanTheLimit_CountsThemAll()
    {
        var one = """{"id":"p","assets":["A"],"currentWeights":[1],"features":[[1]]}""";
        var json = $$"""{"portfolios":[{{string.Join(",", Enumerable.Repeat(one, 7))}}]}""";

        var (batch, _) = await ReadAsync(json);

        using (batch)
        {
            Assert.AreEqual(7, batch!.PortfolioCount);
            Assert.AreEqual(4, batch.Entries.Count, "only the portfolios within the limit are kept");
        }
    }

    [TestMethod]
    public void Feed_SharedAssetLists_ReuseOneArray()
    {
        var json = """{"portfolios":[{"assets":["A","B"]},{"assets":["A","B"]},{"assets":["A","C"]}]}""";

        using var batch = ParseInPieces(Encoding.UTF8.GetBytes(json), piece: 7, maxPortfolios: 10);

        var entries = batch.Entries.Span;
        Assert.AreSame(entries[0].Assets, entries[1].Assets);
        CollectionAssert.AreEqual(new[] { "A", "C" }, entries[2].Assets);
    }

    private static void AgreesWithDto(Gen<Case> bodies, int iter) =>
        bodies.Sample(c =>
        {
            var bytes = Encoding.UTF8.GetBytes(c.Json);
            var dto = JsonSerializer.Deserialize(bytes, ServiceJsonContext.Default.TargetsRequest)!;
            using var batch = ParseInPieces(bytes, c.Piece, maxPortfolios: 100);

            AssertSame(dto, batch);
        }, iter: iter, seed: PropertySeed.Or("0N0XIzNsQ0O2"));

    /// <summary>The body was refused with a 400 whose errors name <paramref name="field"/> with <paramref name="message"/>.</summary>
    private static void AssertRefusedNaming(PortfolioBatch? batch, IResult? problem, string field, string message)
    {
        Assert.IsNull(batch);
        var errors = ((ValidationProblem)problem!).ProblemDetails.Errors;
        Assert.IsTrue(errors.ContainsKey(field), $"errors name {string.Join(", ", errors.Keys)}, not {field}");
        Assert.Contains(message, errors[field][0]);
    }

    private static async Task<(PortfolioBatch? Batch, IResult? Problem)> ReadAsync(string json)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(json));
        await pipe.Writer.CompleteAsync();
        return await TargetsBodyReader.ReadAsync(pipe.Reader, json.Length, Options, CancellationToken.None);
    }

    /// <summary>Feeds the body as if it arrived <paramref name="piece"/> bytes at a time.</summary>
    private static PortfolioBatch ParseInPieces(byte[] body, int piece, int maxPortfolios)
    {
        var batch = new PortfolioBatch(body.Length);
        var parser = new TargetsBodyParser(batch, maxPortfolios);
        var state = default(JsonReaderState);
        long consumed = 0;
        var done = false;
        for (var end = Math.Min(piece, body.Length); !done; end = Math.Min(end + piece, body.Length))
        {
            consumed += parser.Feed(new ReadOnlySequence<byte>(body, (int)consumed, end - (int)consumed), end == body.Length, ref state, out done);
        }

        return batch;
    }

    private static void AssertSame(TargetsRequest dto, PortfolioBatch batch)
    {
        Assert.AreEqual(dto.Portfolios is not null, batch.HasPortfolios);
        var expected = dto.Portfolios ?? [];
        Assert.AreEqual(expected.Count, batch.PortfolioCount);
        var entries = batch.Entries.Span;
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = entries[i];
            Assert.AreEqual(want is null, got.IsNull);
            if (want is null)
            {
                continue;
            }

            Assert.AreEqual(want.Id, got.Id);
            Assert.AreEqual(want.Model, got.Model);
            CollectionAssert.AreEqual(want.Assets?.ToArray(), got.Assets);
            Assert.AreEqual(want.CurrentWeights is not null, got.HasWeights);
            if (want.CurrentWeights is not null)
            {
                CollectionAssert.AreEqual(want.CurrentWeights, batch.WeightsOf(got).ToArray());
                CollectionAssert.AreEqual(want.CurrentWeights.Select(w => (float)w).ToArray(), batch.PreviousWeightsOf(got).ToArray());
            }

            Assert.AreEqual(want.Features is not null, got.HasFeatures);
            if (want.Features is not null)
            {
                AssertSameFeatures(want.Features, batch, got);
            }

            Assert.AreEqual(want.Prices is not null, got.Prices is not null);
            if (want.Prices is not null)
            {
                CollectionAssert.AreEqual(want.Prices.Timestamps, got.Prices!.Timestamps);
                CollectionAssert.AreEqual(want.Prices.Close?.Keys.ToArray(), got.Prices.Close?.Keys.ToArray());
            }
        }
    }

    private static void AssertSameFeatures(double[]?[] rows, PortfolioBatch batch, PortfolioEntry got)
    {
        Assert.AreEqual(rows.Length, got.RowCount);
        var widths = batch.RowWidths.Span.Slice(got.RowsStart, got.RowCount);
        var values = batch.Features.Span;
        var offset = got.FeaturesStart;
        var nonFinite = false;
        for (var r = 0; r < rows.Length; r++)
        {
            Assert.AreEqual(rows[r]?.Length ?? -1, widths[r]);
            foreach (var x in rows[r] ?? [])
            {
                var inRange = double.IsFinite(x) && Math.Abs(x) <= float.MaxValue;
                nonFinite |= !inRange;
                Assert.AreEqual(inRange ? (float)x : float.NaN, values[offset++], $"row {r}");
            }
        }

        Assert.AreEqual(nonFinite, got.HasNonFinite);
        var uniform = rows.All(r => r is not null) && rows.Select(r => r!.Length).Distinct().Count() <= 1;
        Assert.AreEqual(uniform ? rows.FirstOrDefault()?.Length ?? 0 : -1, got.Width);
    }

    private sealed record Case(string Json, int Piece);

    private static readonly Gen<string> Space = Gen.OneOf("", "", " ", "\n  ", "\t");

    private static readonly Gen<string> Text = Gen.OneOf("p1", "BTC", "ETH", "é-ü", "quote\"d", "back\\slash", "A", "B", "日本");

    private static readonly Gen<string> Number =
        Gen.OneOf(
            Gen.Double[-1, 1].Select(x => x.ToString("R", CultureInfo.InvariantCulture)),
            Gen.Double[-1, 1].Select(x => Math.Round(x, 6).ToString("R", CultureInfo.InvariantCulture)),
            Gen.Double[-1e6, 1e6].Select(x => x.ToString("E10", CultureInfo.InvariantCulture)),
            Gen.Double.Select(x => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "1e308"),
            Gen.Int[-1000, 1000].Select(x => x.ToString(CultureInfo.InvariantCulture)),
            Gen.Double[0, 1].Select(x => "\"" + x.ToString("R", CultureInfo.InvariantCulture) + "\""),
            Gen.OneOf("-0", "0.0", "1e400", "-1e39", "3.4028235e38", "1E-30", "0.000000000000000000000000001", "123456789012345678", "1.00000000000000000001", "5e-324", "\"NaN\""));

    private static Gen<string> Array(Gen<string> item, int max) =>
        from items in item.Array[0, max]
        from a in Space
        from b in Space
        select "[" + a + string.Join("," + b, items) + b + "]";

    private static readonly Gen<string> Portfolio =
        from id in Text
        from assets in Array(Text.Select(t => JsonSerializer.Serialize(t)), 4)
        from weights in Array(Number, 4)
        from features in Gen.OneOf(Array(Array(Number, 4), 4), Gen.Const("null"), Array(Gen.OneOf("null", "[1]", "[]"), 3))
        from model in Gen.OneOf<string?>("null", "\"default/1\"", null)
        from prices in Gen.Bool
        from upper in Gen.Bool
        from order in Gen.Int[0, 5]
        from space in Space
        let properties = new List<string?>
        {
            $"\"id\":{space}{JsonSerializer.Serialize(id)}",
            $"\"assets\":{assets}",
            $"\"{(upper ? "CurrentWeights" : "currentWeights")}\":{weights}",
            prices ? """ "prices": {"timestamps":["2024-01-01T00:00:00Z"],"close":{"A":[1.5,null]}} """ : $"\"features\":{space}{features}",
            model is null ? null : $"\"model\":{model}",
        }
        select "{" + space + string.Join("," + space, Rotate(properties.OfType<string>().ToList(), order)) + "}";

    private static readonly Gen<string> PlainNumber =
        Gen.OneOf(
            Gen.Double[-1, 1].Select(x => Math.Round(x, 6).ToString("R", CultureInfo.InvariantCulture)),
            Gen.Double[-1, 1].Select(x => x.ToString("R", CultureInfo.InvariantCulture)),
            Gen.Double[-1e6, 1e6].Select(x => x.ToString("E10", CultureInfo.InvariantCulture)),
            Gen.Int[-1000, 1000].Select(x => x.ToString(CultureInfo.InvariantCulture)),
            Gen.OneOf("-0", "0.0", "1e400", "-1e39", "3.4028235e38", "0.000000000000000000000000001", "123456789012345678"));

    private static readonly Gen<string> PlainPortfolio =
        from id in Gen.OneOf("\"p1\"", "\"BTC-1\"", "\"a b\"", "null")
        from assets in Gen.OneOf(Gen.Const("[\"A\",\"B\"]"), Gen.Const("[ \"A\" , \"B\" ]"), Gen.Const("null"), Array(Gen.OneOf("\"A\"", "\"B\"", "\"C\""), 4))
        from weights in Gen.Frequency((5, Array(PlainNumber, 4)), (1, Gen.Const("null")))
        from features in Gen.Frequency((5, Array(Array(PlainNumber, 4), 4)), (1, Gen.Const("null")))
        from model in Gen.OneOf<string?>("null", "\"default/1\"", null)
        from order in Gen.Int[0, 5]
        from space in Space
        let properties = new List<string?>
        {
            $"\"id\":{space}{id}",
            $"\"assets\":{assets}",
            $"\"currentWeights\" :{weights}",
            $"\"features\":{space}{features}",
            model is null ? null : $"\"model\":{model}",
        }
        select "{" + space + string.Join("," + space, Rotate(properties.OfType<string>().ToList(), order)) + "}";

    private static readonly Gen<Case> PlainBodies =
        from portfolios in Array(PlainPortfolio, 6)
        from space in Space
        from piece in Gen.Int[1, 400]
        select new Case($"{{\"portfolios\":{space}{portfolios}}}", piece);

    private static readonly Gen<Case> Bodies =
        from portfolios in Gen.OneOf(Array(Gen.Frequency((9, Portfolio), (1, Gen.Const("null"))), 5), Gen.Const("null"))
        from space in Space
        from piece in Gen.Int[1, 300]
        select new Case($"{space}{{{space}\"portfolios\":{space}{portfolios}{space}}}{space}", piece);

    private static List<string> Rotate(List<string> items, int by) => [.. items.Skip(by % items.Count), .. items.Take(by % items.Count)];
}
