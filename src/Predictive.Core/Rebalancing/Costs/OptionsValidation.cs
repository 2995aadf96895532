using System.ComponentModel.DataAnnotations;

namespace Predictive.Core.Rebalancing.Costs;

/// <summary>Runs the <c>[Range]</c>-style attributes of an options record and reports every failure at once.</summary>
public static class OptionsValidation
{
    /// <summary>Throws when any property of <paramref name="options"/> fails its validation attributes.</summary>
    /// <exception cref="ArgumentException">One or more values are out of range; the message lists each with its rule.</exception>
    public static void ThrowIfInvalid(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var name = options.GetType().Name;
            throw new ArgumentException($"{name} is invalid: " + string.Join(" ", results.Select(r => r.ErrorMessage)), nameof(options));
        }
    }
}
