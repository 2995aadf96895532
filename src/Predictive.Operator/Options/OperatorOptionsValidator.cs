using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Predictive.Core.Backtesting;
using Quartz;

namespace Predictive.Operator.Options;

/// <summary>
/// Checks the whole configuration on start (every nested section, the cron expressions, the policy, the feature spec,
/// the data source and the service), so a bad setting stops the host with a message naming it instead of failing a job
/// hours later.
/// </summary>
public sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Annotations(options, OperatorOptions.Section, errors);
        Annotations(options.Store, "Store", errors);
        Annotations(options.Data, "Data", errors);
        Annotations(options.Retrain, "Retrain", errors);
        Annotations(options.Evaluation, "Evaluation", errors);
        Annotations(options.Service, "Service", errors);
        Annotations(options.Governance, "Governance", errors);
        Annotations(options.Keeper, "Keeper", errors);
        Annotations(options.Schedules, "Schedules", errors);
        foreach (var vault in options.Keeper.Vaults)
        {
            Annotations(vault, $"Keeper:Vaults[{vault.Name}]", errors);
        }

        if (options.Keeper.Vaults.Count > 0 && string.IsNullOrWhiteSpace(options.Keeper.Config))
        {
            errors.Add("Operator:Keeper:Config: the keeper jobs need keeper.json (the file `predictive keeper run --config` takes); set it or remove Keeper:Vaults.");
        }

        Cron(options.Schedules.Retrain, "Schedules:Retrain", errors);
        Cron(options.Schedules.Evaluate, "Schedules:Evaluate", errors);
        Cron(options.Schedules.Promote, "Schedules:Promote", errors);
        DataSource(options.Data, errors);
        if (options.Service.Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"Operator:Service:Url '{url}' must be an absolute http(s) address.");
        }

        if (options.Service.Url is not null && (options.Service.AdminApiKey?.Length ?? 0) < 16)
        {
            errors.Add("Operator:Service:AdminApiKey must be set (at least 16 characters) when Service:Url is, or activation through the admin API cannot work.");
        }

        try
        {
            _ = PolicySpec.Parse(options.Evaluation.Policy);
        }
        catch (ArgumentException e)
        {
            errors.Add($"Operator:Evaluation:Policy '{options.Evaluation.Policy}': {e.Message}");
        }

        try
        {
            _ = options.Retrain.ParseEnsembleSeeds();
        }
        catch (FormatException e)
        {
            errors.Add($"Operator:{e.Message}");
        }

        if (options.Retrain.TurnoverPenalty > 0 && options.Retrain.Cost != "pool" && options.Retrain.Kind != "gbm")
        {
            errors.Add("Operator:Retrain:TurnoverPenalty needs Retrain:Cost pool (the penalty is calibrated to the cost model); set TurnoverPenalty to 0 or Cost to pool.");
        }

        if (options.Retrain.FeatureSpec is { } spec)
        {
            try
            {
                _ = Core.Features.FeatureSpec.FromJson(spec);
            }
#pragma warning disable CA1031 // Any parse failure is the same configuration error.
            catch (Exception e)
#pragma warning restore CA1031
            {
                errors.Add($"Operator:Retrain:FeatureSpec is not a feature spec: {e.Message}");
            }
        }

        if (options.Store.Provider == "postgres")
        {
            Postgres(options.Store, errors);
        }

        if (options.Governance.Enabled)
        {
            Governance(options.Governance, errors);
        }

        var duplicate = options.Keeper.Vaults.GroupBy(v => v.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            errors.Add($"Operator:Keeper:Vaults names '{duplicate.Key}' twice; each vault has one job.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Annotations(object section, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => $"Operator:{path}: {r.ErrorMessage}"));
        }
    }

    private static void Postgres(StoreOptions store, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(store.ConnectionString))
        {
            errors.Add("Operator:Store:ConnectionString must name the PostgreSQL database (Host=…;Port=…;Database=…;Username=…) when Store:Provider is 'postgres'.");
            return;
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(store.ConnectionString);
        }
        catch (ArgumentException e)
        {
            // The connection string may hold a password: name the problem, not the value.
            errors.Add($"Operator:Store:ConnectionString is not a PostgreSQL connection string: {e.Message}");
        }

        if (store.CheckinMisfireThresholdSeconds < 2 * store.CheckinIntervalSeconds)
        {
            errors.Add($"Operator:Store:CheckinMisfireThresholdSeconds ({store.CheckinMisfireThresholdSeconds}) must be at least twice CheckinIntervalSeconds ({store.CheckinIntervalSeconds}), or one late check-in gets a live node declared dead.");
        }
    }

    private static void Governance(GovernanceOptions g, List<string> errors)
    {
        if (g.ChainManifest is { } manifest && !File.Exists(manifest))
        {
            errors.Add($"Operator:Governance:ChainManifest '{manifest}' does not exist.");
        }

        if (g.ChainManifest is null && (g.RpcUrl is null || g.Governor is null || g.Registry is null))
        {
            errors.Add("Operator:Governance needs ChainManifest, or RpcUrl, Governor and Registry, when Enabled is true.");
        }

        if (g.RpcUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"Operator:Governance:RpcUrl '{url}' must be an absolute http(s) address.");
        }

        foreach (var (name, address) in new[] { ("Governor", g.Governor), ("Registry", g.Registry) })
        {
            if (address is not null && !Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(address))
            {
                errors.Add($"Operator:Governance:{name} '{address}' is not a 20-byte 0x address.");
            }
        }

        if (string.IsNullOrWhiteSpace(g.ProposerKey))
        {
            errors.Add("Operator:Governance:ProposerKey must be set (a hex private key, through the environment) when Enabled is true: proposals are signed by it.");
        }
        else
        {
            try
            {
                _ = Predictive.Chain.Crypto.PrivateKey.FromHex(g.ProposerKey);
            }
            catch (ArgumentException)
            {
                // The key itself is never echoed.
                errors.Add("Operator:Governance:ProposerKey is not a 32-byte hex private key.");
            }
        }
    }

    private static void Cron(string expression, string path, List<string> errors)
    {
        if (!CronExpression.TryParse(expression, out _))
        {
            errors.Add($"Operator:{path} '{expression}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 30 0 * * ?').");
        }
    }

    private static void DataSource(DataSourceOptions data, List<string> errors)
    {
        switch (data.Kind)
        {
            case "file" when string.IsNullOrWhiteSpace(data.Path):
                errors.Add("Operator:Data:Path must name the market data file when Data:Kind is 'file'.");
                break;
            case "file" when !File.Exists(data.Path):
                errors.Add($"Operator:Data:Path '{data.Path}' does not exist.");
                break;
            case "download" when data.Symbols.Count == 0:
                errors.Add("Operator:Data:Symbols must list the base assets to download when Data:Kind is 'download'.");
                break;
        }
    }
}
