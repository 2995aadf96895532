using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Predictive.Training.Gbm;

/// <summary>
/// One ML.NET FastTree regressor and the tree structure read out of it. FastTree needs no feature normalization
/// (none is added to the pipeline), and its trees compare the raw float features with their thresholds, so the
/// extracted <see cref="Ensemble"/> and the ONNX export reproduce ML.NET's score.
/// </summary>
public sealed class GbmRegressor
{
    private const string FeaturesColumn = "Features";
    private const string LabelColumn = "Label";
    private readonly MLContext _context;
    private readonly ITransformer _model;

    private GbmRegressor(MLContext context, ITransformer model, GbmTreeEnsemble ensemble, int featureCount)
    {
        _context = context;
        _model = model;
        Ensemble = ensemble;
        FeatureCount = featureCount;
    }

    /// <summary>The trained trees.</summary>
    public GbmTreeEnsemble Ensemble { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Trains FastTree regression on rows <c>[row, feature]</c> (finite) against <paramref name="labels"/>.</summary>
    /// <param name="features">Row-major features.</param>
    /// <param name="labels">One finite label per row.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="options">Trees, leaves, learning rate, seed, threads.</param>
    /// <param name="seed">The seed for this regressor (derived from <see cref="GbmOptions.Seed"/> by the caller).</param>
    public static GbmRegressor Train(float[] features, float[] labels, int featureCount, GbmOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        options.Validate();
        if (features.Length != labels.Length * featureCount)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {labels.Length} rows of {featureCount}.", nameof(features));
        }

        if (labels.Length < 2 * options.MinExamplesPerLeaf)
        {
            throw new ArgumentException($"{labels.Length} training rows are too few for leaves of at least {options.MinExamplesPerLeaf} rows.", nameof(labels));
        }

        var context = new MLContext(seed);
        var data = ToDataView(context, features, labels, featureCount);
        var trainer = context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = LabelColumn,
            FeatureColumnName = FeaturesColumn,
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            NumberOfThreads = options.Threads,
            Seed = seed,
            FeatureSelectionSeed = seed,
        });
        var model = trainer.Fit(data);
        var ensemble = GbmTreeEnsemble.FromMlNet(model.Model.TrainedTreeEnsemble);
        return new GbmRegressor(context, model, ensemble, featureCount);
    }

    /// <summary>The prediction for one row (the extracted trees, which equal ML.NET's score).</summary>
    public float Predict(ReadOnlySpan<float> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"a row has {row.Length} features; the model takes {FeatureCount}.", nameof(row));
        }

        return (float)Ensemble.Evaluate(row);
    }

    /// <summary>Scores rows <c>[row, feature]</c> through ML.NET itself (the reference for parity checks).</summary>
    public float[] PredictWithMlNet(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var rows = features.Length / FeatureCount;
        var scored = _model.Transform(ToDataView(_context, features, new float[rows], FeatureCount));
        return [.. scored.GetColumn<float>("Score")];
    }

    private static IDataView ToDataView(MLContext context, float[] features, float[] labels, int featureCount)
    {
        var rows = new TrainingRow[labels.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new TrainingRow { Features = features.AsSpan(i * featureCount, featureCount).ToArray(), Label = labels[i] };
        }

        // The vector size is only known at run time, so the schema is declared here rather than by an attribute.
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class TrainingRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
