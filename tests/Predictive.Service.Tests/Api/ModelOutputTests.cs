using System.Net;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Api;

[TestClass]
public sealed class ModelOutputTests
{
    [TestMethod]
    public async Task PostTargets_ModelReturnsNegativeWeights_Returns500ProblemAndCountsError()
    {
        using var folder = new ModelsFolder().Add("trap", "1", TestModels.Trap());
        using var factory = new ServiceFactory(folder.Path);
        using var client = factory.Client();
        var features = Payloads.Features(3, 1);
        features[1][0] = 1000f;

        var response = await client.PostTargets(Payloads.Body(Payloads.Portfolio("p-bad", Payloads.Assets3, Payloads.Uniform(3), features)));

        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObject(HttpStatusCode.InternalServerError);
        Assert.Contains("portfolio 'p-bad' asset 1", problem["detail"]!.GetValue<string>());
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("kind=\"model_output\"", metrics);

        // The same model still answers ordinary requests.
        var ok = await client.PostTargets(Payloads.Body(Payloads.Portfolio("p-ok", Payloads.Assets3, Payloads.Uniform(3), Payloads.Features(3, 1))));
        Assert.AreEqual(HttpStatusCode.OK, ok.StatusCode);
    }
}
