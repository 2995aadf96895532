using System.Globalization;

namespace Predictive.Chain.Abi;

/// <summary>
/// Parses ABI types and declarations: "uint256[2]", "(bool,bytes32)[]", and "swap(address to, uint256[] amounts, (bool,bytes32) opts)".
/// Parameter names and the "indexed" marker are optional; whitespace is allowed between tokens.
/// </summary>
internal sealed class AbiTypeParser
{
    private readonly string _text;
    private int _position;

    private AbiTypeParser(string text) => _text = text;

    public static AbiType ParseType(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new AbiTypeParser(text);
        parser.SkipSpace();
        var type = parser.Type();
        parser.SkipSpace();
        parser.ExpectEnd();
        return type;
    }

    /// <summary>Parses "name(params)" and an optional " returns (params)".</summary>
    public static (string Name, IReadOnlyList<AbiParameter> Inputs, IReadOnlyList<AbiParameter> Outputs) ParseDeclaration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new AbiTypeParser(text);
        parser.SkipSpace();
        var name = parser.Identifier();
        if (name.Length == 0)
        {
            throw parser.Error("expected a name before '('");
        }

        var inputs = parser.ParameterList();
        parser.SkipSpace();
        IReadOnlyList<AbiParameter> outputs = [];
        if (parser.TryKeyword("returns"))
        {
            parser.SkipSpace();
            outputs = parser.ParameterList();
            parser.SkipSpace();
        }

        parser.ExpectEnd();
        return (name, inputs, outputs);
    }

    private List<AbiParameter> ParameterList()
    {
        Expect('(');
        var parameters = new List<AbiParameter>();
        SkipSpace();
        if (TryConsume(')'))
        {
            return parameters;
        }

        do
        {
            SkipSpace();
            var type = Type();
            SkipSpace();
            var indexed = TryKeyword("indexed");
            SkipSpace();
            var name = Identifier();
            SkipSpace();
            parameters.Add(new AbiParameter(type, name.Length == 0 ? null : name, indexed));
        }
        while (TryConsume(','));

        Expect(')');
        return parameters;
    }

    private AbiType Type()
    {
        AbiType type;
        if (Peek() == '(')
        {
            type = new AbiTuple([.. ParameterList().Select(p => p.Indexed || p.Name is not null ? throw Error("tuple components take no names or 'indexed'") : p.Type)]);
        }
        else
        {
            var start = _position;
            var word = Identifier();
            if (word.Length == 0)
            {
                throw Error("expected a type");
            }

            type = Elementary(word, start);
        }

        while (TryConsume('['))
        {
            var start = _position;
            while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            {
                _position++;
            }

            int? length = null;
            if (_position > start)
            {
                if (!int.TryParse(_text.AsSpan(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k <= 0)
                {
                    throw Error("array length must be a positive integer");
                }

                length = k;
            }

            Expect(']');
            type = new AbiArray(type, length);
        }

        return type;
    }

    private AbiType Elementary(string word, int start)
    {
        switch (word)
        {
            case "address":
                return AbiAddress.Instance;
            case "bool":
                return AbiBool.Instance;
            case "string":
                return AbiString.Instance;
            case "bytes":
                return AbiBytes.Instance;
            case "uint":
                return new AbiInteger(256, false);
            case "int":
                return new AbiInteger(256, true);
        }

        if (TrySuffix(word, "uint", out var bits) || TrySuffix(word, "int", out bits))
        {
            if (bits is < 8 or > 256 || bits % 8 != 0)
            {
                throw Error($"integer width {bits} is not a multiple of 8 in 8..256", start);
            }

            return new AbiInteger(bits, word[0] == 'i');
        }

        if (TrySuffix(word, "bytes", out var size))
        {
            if (size is < 1 or > 32)
            {
                throw Error($"bytes{size} is not in bytes1..bytes32", start);
            }

            return new AbiFixedBytes(size);
        }

        throw Error($"unknown type '{word}'", start);
    }

    private static bool TrySuffix(string word, string prefix, out int number)
    {
        number = 0;
        return word.StartsWith(prefix, StringComparison.Ordinal) && word.Length > prefix.Length &&
               word.AsSpan(prefix.Length).ContainsAnyExceptInRange('0', '9') is false &&
               word[prefix.Length] != '0' &&
               int.TryParse(word.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private string Identifier()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '$'))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private bool TryKeyword(string keyword)
    {
        var end = _position + keyword.Length;
        if (string.CompareOrdinal(_text, _position, keyword, 0, keyword.Length) == 0 &&
            (end == _text.Length || !(char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_')))
        {
            _position = end;
            return true;
        }

        return false;
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private bool TryConsume(char c)
    {
        if (Peek() != c)
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Error($"expected '{c}'");
        }
    }

    private void ExpectEnd()
    {
        if (_position != _text.Length)
        {
            throw Error("unexpected text after the end");
        }
    }

    private AbiException Error(string problem, int? at = null) =>
        new($"type '{_text}'", $"{problem} at position {at ?? _position}");
}
