using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Predictive.Onnx.Registry;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive models ...</c>: bring ONNX models into a models directory and see what the service would make of it.
/// Both run the service's own code: <see cref="ModelLoader"/> for the checks and <see cref="ModelRegistry"/> for the
/// scan, so the command line and the service cannot disagree.
/// </summary>
public static class ModelsCommands
{
    /// <summary>Exit code of <c>models import</c> when the model fails a check (nothing is written).</summary>
    public const int Refused = 1;

    /// <summary>Builds the <c>models</c> command and its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var models = new Command("models", "Import ONNX models, list what the service would load or refuse, activate and roll back.");
        models.Subcommands.Add(Import(context));
        models.Subcommands.Add(List(context));
        ModelActivationCommands.AddTo(models, context);
        return models;
    }

    private static Option<string> ModelsDirOption() =>
        new("--models-dir") { Description = "The models directory (<dir>/<name>/<version>/model.onnx + model.json), as the service's Predictive:ModelsDirectory.", DefaultValueFactory = _ => "models" };

    private static Command Import(CliContext context)
    {
        var file = new Argument<string>("model.onnx") { Description = "The ONNX file, exported by any tool, following docs/model-contract.md." };
        var name = new Option<string>("--name") { Description = "The model's name (a directory name).", Required = true };
        var version = new Option<string>("--version") { Description = "The model's version (a directory name; versions are immutable).", Required = true };
        var assets = new Option<string?>("--assets") { Description = "Comma-separated assets, in input order, for a model with a fixed asset list." };
        var modelsDir = ModelsDirOption();
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var cmd = new Command("import", "Check an ONNX file with the service's checks and, if it passes, write it and its model.json into the models directory.")
        {
            file, name, version, assets, modelsDir, json,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var onnx = parse.GetValue(file)!;
            if (!File.Exists(onnx))
            {
                throw new CliException($"model.onnx: '{onnx}' does not exist.");
            }

            var dir = parse.GetValue(modelsDir)!;
            var assetList = parse.GetValue(assets)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var (manifest, refusal) = ModelImport.ImportChecked(onnx, dir, parse.GetValue(name)!, parse.GetValue(version)!, context.Time, assetList);
            var result = manifest is null
                ? new ImportResult(false, $"{parse.GetValue(name)}/{parse.GetValue(version)}", null, null, refusal!.Stage, refusal.Reason)
                : new ImportResult(true, $"{manifest.Name}/{manifest.Version}", Path.Combine(dir, manifest.Name, manifest.Version), manifest.Sha256, null, null);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, result).ConfigureAwait(false);
            }
            else if (result.Imported)
            {
                await context.Out.WriteLineAsync($"imported {result.Model} into {result.Directory} (sha256 {result.Sha256}); it passed every check the service runs.").ConfigureAwait(false);
            }
            else
            {
                await context.Error.WriteLineAsync($"refused {result.Model} at the {result.Stage} check: {result.Reason?.TrimEnd('.')}. Nothing was written to {dir}.").ConfigureAwait(false);
            }

            return result.Imported ? 0 : Refused;
        });
        return cmd;
    }

    private static Command List(CliContext context)
    {
        var modelsDir = ModelsDirOption();
        var defaultModel = new Option<string?>("--default") { Description = "The configured default model (name/version), as the service's Predictive:DefaultModel." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the default, the models served and the models refused with reasons." };
        var cmd = new Command("list", "Show what the service would load and what it would refuse, with reasons, without starting it.") { modelsDir, defaultModel, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(modelsDir)!;
            if (!Directory.Exists(dir))
            {
                throw new CliException($"--models-dir: '{dir}' does not exist.");
            }

            using var registry = new ModelRegistry(dir, context.Time, parse.GetValue(defaultModel));
            var snapshot = registry.Reload().Snapshot;
            var result = new ListResult(
                registry.ModelsDirectory,
                snapshot.DefaultKey,
                [.. snapshot.Loaded.Values.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new ServedModel(m.Name, m.Version, m.Sha256, m.FeatureSpec.FeatureNames, m.FixedAssets))],
                [.. snapshot.Refused.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RefusedModel(r.Key, r.Stage, r.Reason))]);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, result).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"{result.ModelsDirectory}: {result.Served.Count} served, {result.Refused.Count} refused; default {result.Default ?? "(none)"}").ConfigureAwait(false);
            foreach (var m in result.Served)
            {
                var assets = m.Assets is null ? "any assets" : $"assets {string.Join(',', m.Assets)}";
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  served   {m.Name}/{m.Version}{(result.Default == $"{m.Name}/{m.Version}" ? " (default)" : "")}: {m.Features.Count} features, {assets}, sha256 {m.Sha256[..12]}…")).ConfigureAwait(false);
            }

            foreach (var r in result.Refused)
            {
                await context.Out.WriteLineAsync($"  refused  {r.Model} at the {r.Stage} check: {r.Reason}").ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>The JSON shape of <c>models import --json</c>.</summary>
    public sealed record ImportResult(
        [property: JsonPropertyName("imported")] bool Imported,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("directory")] string? Directory,
        [property: JsonPropertyName("sha256")] string? Sha256,
        [property: JsonPropertyName("stage")] string? Stage,
        [property: JsonPropertyName("reason")] string? Reason);

    /// <summary>The JSON shape of <c>models list --json</c>.</summary>
    public sealed record ListResult(
        [property: JsonPropertyName("models_dir")] string ModelsDirectory,
        [property: JsonPropertyName("default")] string? Default,
        [property: JsonPropertyName("served")] IReadOnlyList<ServedModel> Served,
        [property: JsonPropertyName("refused")] IReadOnlyList<RefusedModel> Refused);

    /// <summary>A model the service would load.</summary>
    public sealed record ServedModel(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("version")] string Version,
        [property: JsonPropertyName("sha256")] string Sha256,
        [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
        [property: JsonPropertyName("assets")] IReadOnlyList<string>? Assets);

    /// <summary>A model the service would refuse, and why.</summary>
    public sealed record RefusedModel(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("stage")] string Stage,
        [property: JsonPropertyName("reason")] string Reason);
}
