using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Manifest;
using Predictive.Research.Statistics;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// A deliberately weak champion: an ONNX model with fixed assets that holds (nearly) everything in the asset with the
/// worst Sharpe ratio over the evaluation window. It is chosen with hindsight, which is the point: any sensible
/// challenger must beat it there.
/// </summary>
internal static class WeakChampion
{
    public static FeatureSpec Spec { get; } = FeatureSpec.Default.Where(f => !f.UsesVolume);

    /// <summary>The traded asset whose buy-and-hold Sharpe over the last <paramref name="windowBars"/> bars is lowest.</summary>
    public static int WorstAsset(PricePanel panel, int windowBars, out IReadOnlyList<string> assets)
    {
        var market = new BacktestMarket(panel);
        var assetPanel = market.AssetPanel();
        assets = market.Assets;
        var start = assetPanel.BarCount - windowBars;
        var worst = -1;
        var worstSharpe = double.PositiveInfinity;
        for (var a = 0; a < assetPanel.AssetCount; a++)
        {
            var close = assetPanel.Close(a)[(start - 1)..];
            var returns = ReturnStatistics.Returns(close);
            var sharpe = ReturnStatistics.Sharpe(returns);
            if (sharpe < worstSharpe)
            {
                worstSharpe = sharpe;
                worst = a;
            }
        }

        return worst;
    }

    /// <summary>Writes the model as <c>name/version</c> under <paramref name="modelsDirectory"/>.</summary>
    public static string Write(string modelsDirectory, string name, string version, IReadOnlyList<string> assets, int worstAsset)
    {
        var logits = new float[assets.Count];
        logits[worstAsset] = 20f;
        var model = new OnnxModelBuilder("weak-champion")
            .WithProducer("predictive-operator-tests", "1.0.0")
            .AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", "assets", Spec.Features.Count)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", "assets")
            .AddInitializer(OnnxTensor.Float("zero", [], [0f]))
            .AddInitializer(OnnxTensor.Float("logits", [assets.Count], logits))
            .AddNode("Mul", [ModelContract.PreviousWeightsInput, "zero"], ["held"])
            .AddNode("Add", ["held", "logits"], ["z"])
            .AddNode("Softmax", ["z"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .AddMetadata(ModelMetadataKeys.FeatureSpec, Spec.ToJson())
            .AddMetadata(ModelMetadataKeys.TrainingRange, "2019-01-01T00:00:00Z/2019-01-02T00:00:00Z")
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, """{"note":0}""")
            .AddMetadata(ModelMetadataKeys.Seed, "0")
            .AddMetadata(ModelMetadataKeys.ProducerVersion, "tests")
            .Build();
        var directory = Path.Combine(modelsDirectory, name, version);
        ModelPackage.Write(directory, model, name, version, assets);
        return directory;
    }
}
