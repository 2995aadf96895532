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
    public void Validate_UnknownKindAndUnknownPolicy_Refused()
    {
        var options = new OperatorOptions();
        options.Retrain.Kind = "xgboost";
        options.Evaluation.Policy = "sometimes";
        var result = new OperatorOptionsValidator().Validate(null, options);
        StringAssert.Contains(result.FailureMessage, "Retrain:Kind must be eiie, mlp or gbm");
        StringAssert.Contains(result.FailureMessage, "Evaluation:Policy 'sometimes'");
    }

    [TestMethod]
    public void Validate_GbmKind_Accepted()
    {
        var options = new OperatorOptions();
        options.Retrain.Kind = "gbm";
        Assert.IsTrue(new OperatorOptionsValidator().Validate(null, options).Succeeded);
    }

    [TestMethod]
    public void Validate_GovernanceOnWithoutChainOrKey_RefusedWithoutEchoingTheKey()
    {
        var options = new OperatorOptions();
        options.Governance.Enabled = true;
        options.Governance.RpcUrl = new Uri("http://127.0.0.1:8545");
        options.Governance.Governor = "0x1234";
        options.Governance.ProposerKey = "0xnot-a-key-secret";
        var result = new OperatorOptionsValidator().Validate(null, options);
        StringAssert.Contains(result.FailureMessage, "Operator:Governance needs ChainManifest, or RpcUrl, Governor and Registry");
        StringAssert.Contains(result.FailureMessage, "Operator:Governance:Governor '0x1234' is not a 20-byte 0x address");
        StringAssert.Contains(result.FailureMessage, "Operator:Governance:ProposerKey is not a 32-byte hex private key");
        Assert.DoesNotContain("not-a-key-secret", result.FailureMessage!);
    }

    [TestMethod]
    public void Validate_PostgresWithoutConnectionOrWithTightThreshold_Refused()
    {
        var options = new OperatorOptions();
        options.Store.Provider = "postgres";
        StringAssert.Contains(new OperatorOptionsValidator().Validate(null, options).FailureMessage, "Store:ConnectionString must name the PostgreSQL database");

        options.Store.ConnectionString = "Host=127.0.0.1;Database=operator;Username=postgres";
        options.Store.CheckinIntervalSeconds = 5;
        options.Store.CheckinMisfireThresholdSeconds = 6;
        StringAssert.Contains(new OperatorOptionsValidator().Validate(null, options).FailureMessage, "CheckinMisfireThresholdSeconds (6) must be at least twice CheckinIntervalSeconds (5)");
    }

    [TestMethod]
    public void Validate_KeeperVaultsWithoutConfig_RefusedNamingKeeperConfig()
    {
        var options = new OperatorOptions();
        options.Keeper.Vaults.Add(new() { Name = "main" });
        var result = new OperatorOptionsValidator().Validate(null, options);
        Assert.IsTrue(result.Failed);
        StringAssert.Contains(result.FailureMessage, "Operator:Keeper:Config: the keeper jobs need keeper.json");
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
