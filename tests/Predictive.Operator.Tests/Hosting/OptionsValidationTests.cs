using Microsoft.Extensions.Options;
using Predictive.Operator.Options;

namespace Predictive.Operator.Tests.Hosting;

[TestClass]
public sealed class OptionsValidationTests
{
    [TestMethod]
    public void Validate_Defaults_EmbeddedDefaultIsValid()
    {
        Assert.IsTrue(new OperatorOptionsValidator().Validate(null, new OperatorOptions()).Succeeded);
    }

    [TestMethod]
    public void Validate_BadCronAndMissingFile_EachNamed()
    {
        var options = new OperatorOptions();
        options.Schedules.Retrain = "every day";
        options.Data.Kind = "file";
        options.Data.Path = "/no/such/market.csv";
        var result = new OperatorOptionsValidator().Validate(null, options);
        Assert.IsTrue(result.Failed);
        StringAssert.Contains(result.FailureMessage, "Schedules:Retrain 'every day'");
        StringAssert.Contains(result.FailureMessage, "Data:Path '/no/such/market.csv' does not exist");
    }

    [TestMethod]
    public void Validate_ServiceWithoutAdminKey_Refused()
    {
        var options = new OperatorOptions();
        options.Service.Url = new Uri("http://127.0.0.1:5080");
        var result = new OperatorOptionsValidator().Validate(null, options);
        StringAssert.Contains(result.FailureMessage, "Service:AdminApiKey");
    }

    [TestMethod]
    public void Validate_GbmKindAndUnknownPolicy_Refused()
    {
        var options = new OperatorOptions();
        options.Retrain.Kind = "gbm";
        options.Evaluation.Policy = "sometimes";
        var result = new OperatorOptionsValidator().Validate(null, options);
        StringAssert.Contains(result.FailureMessage, "Retrain:Kind");
        StringAssert.Contains(result.FailureMessage, "Evaluation:Policy 'sometimes'");
    }

    [TestMethod]
    public async Task Start_InvalidSchedule_HostRefusesToStartWithTheSetting()
    {
        using var host = Predictive.Operator.Hosting.OperatorHost.Build([], new Dictionary<string, string?>
        {
            ["Operator:WorkingDirectory"] = Path.Combine(Path.GetTempPath(), "predictive-operator-" + Guid.NewGuid().ToString("N")),
            ["Operator:Schedules:Evaluate"] = "nonsense",
        });
        var e = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync());
        StringAssert.Contains(e.Message, "Schedules:Evaluate 'nonsense'");
    }
}
