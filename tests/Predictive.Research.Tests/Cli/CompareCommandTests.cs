using System.Text.Json;
using Predictive.Cli;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Cli;

[TestClass]
public sealed class CompareCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Compare_SyntheticJson_PrintsLeaderboardAndWritesReport()
    {
        var dir = Path.Combine(Path.GetTempPath(), "predictive-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, stdout, stderr) = await RunAsync("compare", "--data", "synthetic", "--allocators", "equal,inverse-vol", "--policies", "calendar:21,band:0.05", "--out", dir, "--json", "--seed", "7");

            Assert.AreEqual(0, exit, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var rows = doc.RootElement.EnumerateArray().ToList();
            Assert.HasCount(4, rows);
            string[] keys = ["allocator", "policy", "sharpe", "sharpe_ci_low", "sharpe_ci_high", "deflated_sharpe", "sortino", "cagr", "max_drawdown", "turnover", "costs", "tracking_error", "trades"];
            foreach (var row in rows)
            {
                foreach (var key in keys)
                {
                    Assert.IsTrue(row.TryGetProperty(key, out _), $"missing {key}");
                }

                Assert.IsLessThanOrEqualTo(row.GetProperty("sharpe_ci_high").GetDouble(), row.GetProperty("sharpe_ci_low").GetDouble());
                Assert.IsGreaterThan(0, row.GetProperty("trades").GetInt32());
            }

            CollectionAssert.AreEquivalent(new[] { "calendar:21", "band:0.05", "calendar:21", "band:0.05" }, rows.Select(r => r.GetProperty("policy").GetString()).ToArray());
            var html = await File.ReadAllTextAsync(Path.Combine(dir, "report.html"));
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.IsGreaterThanOrEqualTo(3 + 4, html.Split("<svg").Length - 1, "equity, drawdown, frontier and one weights chart per strategy");
            Assert.DoesNotContain("<script src", html, "self-contained: the only script is inline");
            Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", "", StringComparison.Ordinal), "self-contained: no outside resources");
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "results.json")));
            Assert.AreEqual(4, results.RootElement.GetProperty("strategies").GetArrayLength());
            Assert.AreEqual(7, results.RootElement.GetProperty("seed").GetInt32());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [TestMethod]
    [DataRow("--allocators", "equal,banana", "Unknown allocator 'banana'")]
    [DataRow("--policies", "band:0.05,sometimes", "Unknown policy 'sometimes'")]
    [DataRow("--policies", "calendar:-3", "calendar needs a whole number")]
    [DataRow("--highlight", "-1", "--highlight -1: must be 0 or more")]
    public async Task Compare_UnknownName_FailsWithAClearMessage(string option, string value, string message)
    {
        var (exit, _, stderr) = await RunAsync("compare", option, value, "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.AreEqual(CliApp.UserError, exit);
        Assert.Contains(message, stderr);
    }

    [TestMethod]
    public async Task Compare_Highlight3_LegendsListTheThreeBestAndTheCommandRepeatsIt()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-compare-").FullName;
        try
        {
            var (exit, _, stderr) = await RunAsync("compare", "--allocators", "equal,inverse-vol", "--policies", "calendar:21,band:0.05,full", "--highlight", "3", "--out", dir, "--json");

            Assert.AreEqual(0, exit, stderr);
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "results.json")));
            var best = results.RootElement.GetProperty("strategies").EnumerateArray()
                .OrderByDescending(r => r.GetProperty("sharpe").GetDouble())
                .Take(3)
                .Select(r => $"{r.GetProperty("allocator").GetString()} × {r.GetProperty("policy").GetString()}")
                .ToArray();
            var html = await File.ReadAllTextAsync(Path.Combine(dir, "report.html"));
            foreach (var chart in new[] { "equity", "drawdowns" })
            {
                var start = html.IndexOf($"<ul class=\"legend\" data-chart=\"{chart}\">", StringComparison.Ordinal);
                var legend = html[start..html.IndexOf("</ul>", start, StringComparison.Ordinal)];
                var names = System.Text.RegularExpressions.Regex.Matches(legend, "<span class=\"name\">([^<]*)</span>").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
                CollectionAssert.AreEqual(best, names, chart);
            }

            Assert.Contains("--highlight 3", results.RootElement.GetProperty("parameters").GetProperty("command").GetString()!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Compare_DirectoryWithoutModel_FailsNamingTheManifest()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-model-").FullName;
        try
        {
            var (exit, _, stderr) = await RunAsync("compare", "--allocators", dir, "--out", Path.Combine(dir, "out"));
            Assert.AreEqual(CliApp.UserError, exit);
            Assert.Contains("is not a model directory", stderr);
            Assert.Contains("model.json", stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Compare_TamperedModel_FailsWithTheRefusalReason()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-model-").FullName;
        try
        {
            var model = Path.Combine(dir, "m");
            CopyDirectory(DefaultModelDirectory(), model);
            var bytes = await File.ReadAllBytesAsync(Path.Combine(model, "model.onnx"));
            bytes[^1] ^= 0xFF;
            await File.WriteAllBytesAsync(Path.Combine(model, "model.onnx"), bytes);

            var (exit, _, stderr) = await RunAsync("compare", "--allocators", model, "--out", Path.Combine(dir, "out"));

            Assert.AreEqual(CliApp.UserError, exit);
            Assert.Contains("refused", stderr);
            Assert.Contains("SHA-256", stderr, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Compare_BundledModelOnItsTrainingData_RanksItAndWarnsInSample()
    {
        var dir = Directory.CreateTempSubdirectory("predictive-compare-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunAsync("compare", "--allocators", $"equal,{DefaultModelDirectory()}", "--policies", "calendar:21", "--out", dir, "--json");

            Assert.AreEqual(0, exit, stderr);
            Assert.Contains("\"allocator\":\"onnx:default/1\"", stdout);
            Assert.Contains("in-sample", stderr);
            Assert.IsTrue(File.Exists(Path.Combine(dir, "report.html")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string DefaultModelDirectory()
    {
        var directory = RepositoryPaths.Combine("models", "default", "1");
        return Directory.Exists(directory) ? directory : throw new DirectoryNotFoundException($"{directory} was not found.");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
    }

    internal static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, TimeProvider.System);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
