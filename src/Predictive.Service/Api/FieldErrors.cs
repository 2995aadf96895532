namespace Predictive.Service.Api;

/// <summary>Collects request errors by field (JSON path without <c>$.</c>); stops collecting after a bound.</summary>
internal sealed class FieldErrors
{
    private const int Limit = 50;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private int _count;

    public bool Any => _count > 0;

    public void Add(string field, string message)
    {
        if (_count >= Limit)
        {
            return;
        }

        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        _count++;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
