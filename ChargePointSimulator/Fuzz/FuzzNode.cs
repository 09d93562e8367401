using System.Globalization;
using System.Text;

namespace ChargePointSimulator.Fuzz;

/// <summary>What a JSON reader makes of a node's text.</summary>
internal enum FuzzKind
{
    Object,
    Array,
    String,
    Number,
    Literal,

    /// <summary>Not JSON: a JSON reader stops with an error inside this node.</summary>
    Invalid,
}

/// <summary>
/// A JSON tree that the generator may break on purpose: tokens kept as written (valid or not), property names with
/// duplicates or lone surrogate escapes, nesting of any depth. Each node knows what a JSON reader makes of it, so the
/// answer a frame deserves follows from how it was built rather than from parsing it.
/// </summary>
internal abstract class FuzzNode
{
    public abstract FuzzKind Kind { get; }

    /// <summary>Containers nested in this node, itself included (0 for a scalar).</summary>
    public abstract int Depth { get; }

    /// <summary>Whether this node's text, and everything in it, is valid JSON (depth aside).</summary>
    public abstract bool IsValidJson { get; }

    public abstract void WriteTo(StringBuilder text);

    public abstract FuzzNode Clone();

    /// <summary>Every node in this subtree, this one first (the elements of a <see cref="FuzzNesting"/> are not nodes).</summary>
    public virtual IEnumerable<FuzzNode> Descendants()
    {
        yield return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        WriteTo(text);
        return text.ToString();
    }
}

/// <summary>What a scalar stands for in its payload, so that mutations can pick fitting targets.</summary>
internal enum FuzzField
{
    None,
    Text,
    Enumeration,
    Timestamp,
    Integer,
}

/// <summary>A scalar token: string, number, literal, or text that is not JSON at all.</summary>
internal sealed class FuzzValue : FuzzNode
{
    private FuzzValue(string text, FuzzKind kind)
    {
        Text = text;
        Kind = kind;
    }

    /// <summary>The token exactly as written into the frame.</summary>
    public string Text { get; }

    public override FuzzKind Kind { get; }

    /// <summary>A string's value as UTF-16 code units (lone surrogates included); null for other kinds.</summary>
    public string? StringValue { get; private init; }

    /// <summary>The value of an integer token that a reader accepts as a 32-bit integer; null otherwise.</summary>
    public int? Int32Value { get; private init; }

    public FuzzField Field { get; init; }

    /// <summary>Maximum length of the field in its schema, when it has one.</summary>
    public int? MaxLength { get; init; }

    public override int Depth => 0;

    public override bool IsValidJson => Kind != FuzzKind.Invalid;

    /// <summary>Whether the string holds a UTF-16 surrogate that is not half of a pair.</summary>
    public bool HasLoneSurrogate => StringValue is { } value && FuzzText.IndexOfLoneSurrogate(value) >= 0;

    /// <summary>A string written with the escapes JSON requires (lone surrogates as <c>\uXXXX</c>); the others by chance.</summary>
    public static FuzzValue String(string value, Random? random = null, FuzzField field = FuzzField.Text, int? maxLength = null) =>
        new(FuzzText.Literal(value, random), FuzzKind.String) { StringValue = value, Field = field, MaxLength = maxLength };

    /// <summary>A string whose literal is written by hand (e.g. holding the invalid-UTF-8 marker) with its known value.</summary>
    public static FuzzValue RawString(string literal, string value) => new(literal, FuzzKind.String) { StringValue = value };

    public static FuzzValue Integer(long value, FuzzField field = FuzzField.Integer) =>
        new(value.ToString(CultureInfo.InvariantCulture), FuzzKind.Number)
        {
            Int32Value = value is >= int.MinValue and <= int.MaxValue ? (int)value : null,
            Field = field,
        };

    /// <summary>A valid JSON number that is not a plain 32-bit integer token (fraction, exponent, beyond int32).</summary>
    public static FuzzValue Number(string text, FuzzField field = FuzzField.None) => new(text, FuzzKind.Number) { Field = field };

    public static FuzzValue Literal(string text) => new(text, FuzzKind.Literal);

    /// <summary>Text that is not a JSON value; a reader fails on it.</summary>
    public static FuzzValue Invalid(string text) => new(text, FuzzKind.Invalid);

    public override void WriteTo(StringBuilder text) => text.Append(Text);

    public override FuzzNode Clone() => this; // immutable
}

/// <summary>A property of a <see cref="FuzzObject"/>: its name is a string token (or broken text) like any other.</summary>
internal sealed record FuzzProperty(FuzzValue Name, FuzzNode Value);

internal sealed class FuzzObject : FuzzNode
{
    public List<FuzzProperty> Properties { get; } = [];

    /// <summary>Whitespace written after each ':' and ','; always valid JSON whitespace.</summary>
    public string Spacing { get; set; } = "";

    public override FuzzKind Kind => FuzzKind.Object;

    public override int Depth => 1 + (Properties.Count == 0 ? 0 : Properties.Max(p => p.Value.Depth));

    public override bool IsValidJson => Properties.All(p => p.Name.Kind == FuzzKind.String && p.Value.IsValidJson);

    public FuzzObject Add(string name, FuzzNode value)
    {
        Properties.Add(new FuzzProperty(FuzzValue.String(name, field: FuzzField.None), value));
        return this;
    }

    public FuzzNode? this[string name] => Properties.FirstOrDefault(p => p.Name.StringValue == name)?.Value;

    public override void WriteTo(StringBuilder text)
    {
        text.Append('{');
        for (int i = 0; i < Properties.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',').Append(Spacing);
            }

            Properties[i].Name.WriteTo(text);
            text.Append(':').Append(Spacing);
            Properties[i].Value.WriteTo(text);
        }

        text.Append('}');
    }

    public override FuzzNode Clone()
    {
        var clone = new FuzzObject { Spacing = Spacing };
        clone.Properties.AddRange(Properties.Select(p => p with { Value = p.Value.Clone() }));
        return clone;
    }

    public override IEnumerable<FuzzNode> Descendants() =>
        Properties.SelectMany(p => p.Value.Descendants()).Prepend(this);
}

internal sealed class FuzzArray : FuzzNode
{
    public FuzzArray(params IEnumerable<FuzzNode> items) => Items.AddRange(items);

    public List<FuzzNode> Items { get; } = [];

    public override FuzzKind Kind => FuzzKind.Array;

    public override int Depth => 1 + (Items.Count == 0 ? 0 : Items.Max(i => i.Depth));

    public override bool IsValidJson => Items.All(i => i.IsValidJson);

    public override void WriteTo(StringBuilder text)
    {
        text.Append('[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            Items[i].WriteTo(text);
        }

        text.Append(']');
    }

    public override FuzzNode Clone() => new FuzzArray(Items.Select(i => i.Clone()));

    public override IEnumerable<FuzzNode> Descendants() => Items.SelectMany(i => i.Descendants()).Prepend(this);
}

/// <summary>
/// Containers nested <see cref="Depth"/> deep around one value (<c>[[[…1…]]]</c>, <c>{"a":{"a":…}}</c> or mixed),
/// written without recursion so that any depth can be produced.
/// </summary>
internal sealed class FuzzNesting : FuzzNode
{
    private readonly string _text;

    public FuzzNesting(int depth, Random random)
    {
        if (depth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depth));
        }

        Depth = depth;
        int style = random.Next(3); // arrays, objects, mixed
        var opening = new StringBuilder(depth * 5);
        var closing = new StringBuilder(depth);
        for (int level = 0; level < depth; level++)
        {
            bool isObject = style == 1 || (style == 2 && random.Next(2) == 0);
            opening.Append(isObject ? "{\"a\":" : "[");
            closing.Insert(0, isObject ? '}' : ']');
            Kind = level == 0 ? (isObject ? FuzzKind.Object : FuzzKind.Array) : Kind;
        }

        _text = opening.Append(random.Next(3) switch { 0 => "1", 1 => "\"x\"", _ => "null" }).Append(closing).ToString();
    }

    public override FuzzKind Kind { get; }

    public override int Depth { get; }

    public override bool IsValidJson => true;

    public override void WriteTo(StringBuilder text) => text.Append(_text);

    public override FuzzNode Clone() => this; // immutable
}
