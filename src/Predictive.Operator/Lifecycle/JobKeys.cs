using Quartz;

namespace Predictive.Operator.Lifecycle;

/// <summary>The operator's job keys, shared by the registration and the jobs that start each other.</summary>
public static class JobKeys
{
    /// <summary>The group of the model-lifecycle jobs.</summary>
    public const string LifecycleGroup = "lifecycle";

    /// <summary>The group of the keeper jobs.</summary>
    public const string KeeperGroup = "keeper";

    /// <summary>Retraining.</summary>
    public static JobKey Retrain { get; } = new("retrain", LifecycleGroup);

    /// <summary>Champion against challenger.</summary>
    public static JobKey Evaluate { get; } = new("evaluate", LifecycleGroup);

    /// <summary>Promotion of a winner.</summary>
    public static JobKey Promote { get; } = new("promote", LifecycleGroup);

    /// <summary>The keeper job of one vault.</summary>
    public static JobKey Keeper(string vault) => new($"keeper-{vault}", KeeperGroup);
}
