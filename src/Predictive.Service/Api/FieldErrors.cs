namespace Predictive.Service.Api;

/// <summary>Collects request errors by field (JSON path without <c>$.</c>); stops collecting after a bound.</summary>
internal sealed class FieldErrors
{
    private const int Limit = 50;

    // Created on the first error: a valid request allocates nothing here.
    private Dictionary<string, List<string>>? _errors;
    private int _count;

    public bool Any => _count > 0;

    public void Add(string field, string message)
    {
        if (_count >= Limit)
        {
            return;
        }

        _errors ??= new(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        _count++;
    }

    public Dictionary<string, string[]> ToDictionary() => (_errors ?? []).ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
