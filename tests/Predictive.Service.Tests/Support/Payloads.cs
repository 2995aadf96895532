using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Predictive.Service.Tests.Support;

/// <summary>Request bodies and response readers for the targets API.</summary>
internal static class Payloads
{
    public static readonly string[] Assets3 = ["BTC", "ETH", "SOL"];

    /// <summary>Deterministic features [assets][3] for portfolio <paramref name="seed"/>.</summary>
    public static float[][] Features(int assets, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, assets).Select(_ => new[] { (float)(random.NextDouble() - 0.5), (float)(random.NextDouble() - 0.5), (float)(random.NextDouble() * 0.1) })];
    }

    public static double[] Uniform(int assets) => Enumerable.Repeat(1.0 / assets, assets).ToArray();

    public static JsonObject Portfolio(string id, IReadOnlyList<string> assets, double[] current, float[][] features, string? model = null)
    {
        var p = new JsonObject
        {
            ["id"] = id,
            ["assets"] = new JsonArray([.. assets.Select(a => (JsonNode)a)]),
            ["currentWeights"] = new JsonArray([.. current.Select(w => (JsonNode)w)]),
            ["features"] = new JsonArray([.. features.Select(r => (JsonNode)new JsonArray([.. r.Select(x => (JsonNode)x)]))]),
        };
        if (model is not null)
        {
            p["model"] = model;
        }

        return p;
    }

    public static JsonObject Body(params JsonObject[] portfolios) => new() { ["portfolios"] = new JsonArray(portfolios) };

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostTargets(this HttpClient client, JsonNode body) => client.PostAsync(new Uri("/v1/targets", UriKind.Relative), Json(body.ToJsonString()));

    public static Task<HttpResponseMessage> PostTargets(this HttpClient client, string rawJson) => client.PostAsync(new Uri("/v1/targets", UriKind.Relative), Json(rawJson));

    public static async Task<JsonObject> ReadObject(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(expected, response.StatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts a 400 ValidationProblem whose errors name <paramref name="field"/>; returns the messages.</summary>
    public static async Task<string> AssertInvalid(this HttpResponseMessage response, string field)
    {
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObject(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.IsTrue(errors.ContainsKey(field), $"errors name {string.Join(", ", errors.Select(e => e.Key))}, not {field}");
        return errors[field]!.ToJsonString();
    }

    public static double[] Weights(JsonNode target) => target["weights"]!.AsArray().Select(w => w!.GetValue<double>()).ToArray();

    public static string Invariant(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public static async Task<JsonObject> GetObject(this HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await response.ReadObject(HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> PostEmpty(this HttpClient client, string path) => client.PostAsync(new Uri(path, UriKind.Relative), null);

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static Task<T?> Read<T>(this HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>(Options);
}
