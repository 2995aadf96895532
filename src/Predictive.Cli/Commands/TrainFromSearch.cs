using System.CommandLine;
using Predictive.Core.MarketData;
using Predictive.Training.Card;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;

namespace Predictive.Cli.Commands;

/// <summary><c>train --from-search</c>: the configuration a search chose, with the provenance its model card records.</summary>
internal static class TrainFromSearch
{
    /// <summary>The ensemble's seeds when <c>--ensemble-seeds</c> is not given.</summary>
    public const string DefaultSeeds = "1,2,3,4,5";

    /// <summary>Refuses options that would change the searched configuration.</summary>
    public static void RefuseConflicts(ParseResult parse, params Option[] options)
    {
        var given = options.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
        {
            throw new CliException($"--from-search trains the search's configuration as it was searched; {string.Join(", ", given)} cannot change it (use --configuration to pick another configuration of the space).");
        }
    }

    /// <summary>Reads the search, checks it ran on this data and counts the trial ledger it used.</summary>
    public static async Task<SearchedConfiguration> ResolveAsync(string path, string? configuration, PricePanel panel, string? postgres, string sqlitePath, CancellationToken cancellationToken)
    {
        SearchSelection selection;
        TrainingOptions options;
        try
        {
            selection = SearchSelection.Read(path, configuration);
            options = selection.Options(new TrainingOptions { Panel = panel });
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--from-search: {e.Message}");
        }

        var dataset = options.CreateDataset();
        var range = dataset.DescribeRange(new SampleRange(0, dataset.SampleCount));
        if (selection.DataRange != range)
        {
            throw new CliException(selection.DataRange is null
                ? $"--from-search: the trial ids of '{path}' do not name one data range; cannot check the search ran on --data."
                : $"--from-search: --data covers {range}, but the search ran on {selection.DataRange}; train the chosen configuration on the data it was chosen on.");
        }

        var (trials, variance) = await SearchLedger.CountAsync(selection.TrialIds, postgres, sqlitePath, cancellationToken).ConfigureAwait(false);
        return new SearchedConfiguration(options, selection.Provenance(trials, variance));
    }
}
