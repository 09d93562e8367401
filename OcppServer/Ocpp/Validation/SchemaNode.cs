using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace OcppServer.Ocpp.Validation;

internal enum SchemaType
{
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Null,
}

internal enum StringFormat
{
    None,
    DateTime,
    Uri,
}

internal sealed record SchemaProperty(string Name, byte[] Utf8Name, SchemaNode Schema);

/// <summary>
/// One compiled (sub)schema. <see cref="IsValid"/> is the hot path: it walks the payload once and allocates nothing
/// (only a string with escapes, a very long or non-ASCII string near its length limit, or a <c>uri</c> is materialised).
/// <see cref="Evaluate"/> explains a failure; it runs only for invalid payloads.
/// </summary>
internal sealed partial class SchemaNode
{
    private const int StackLimit = 256;

    public SchemaType Type { get; set; }

    /// <summary>Set on a node that is only a <c>$ref</c>; it then has no other keyword.</summary>
    public SchemaNode? Reference { get; set; }

    public SchemaProperty[] Properties { get; set; } = [];

    /// <summary>Bit i stands for <c>Properties[i]</c>.</summary>
    public ulong RequiredMask { get; set; }

    public string[] Required { get; set; } = [];

    public bool ClosedObject { get; set; }

    public SchemaNode? Items { get; set; }

    public int MinItems { get; set; }

    public int? MinLength { get; set; }

    public int? MaxLength { get; set; }

    public string[]? Enum { get; set; }

    public byte[][]? Utf8Enum { get; set; }

    public StringFormat Format { get; set; }

    public NumberLimit? Minimum { get; set; }

    public NumberLimit? Maximum { get; set; }

    public Divisor? MultipleOf { get; set; }

    /// <summary>Validating keywords in JsonSchema.Net's evaluation order, which decides the order of reported errors.</summary>
    public string[] Keywords { get; set; } = [];

    private bool IntegerLimitsOnly => MultipleOf is null && (Minimum is null || Minimum.Integer is not null) && (Maximum is null || Maximum.Integer is not null);

    private bool HasStringKeywords => Enum is not null || MinLength is not null || MaxLength is not null || Format != StringFormat.None;

    public bool IsValid(JsonElement value)
    {
        if (Reference is not null)
        {
            return Reference.IsValid(value);
        }

        // Every enum is of strings (the compiler makes sure), so no other kind of value can be in one.
        if (!HasType(value) || (Enum is not null && value.ValueKind != JsonValueKind.String))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Object => ObjectIsValid(value),
            JsonValueKind.Array => ArrayIsValid(value),
            JsonValueKind.String => !HasStringKeywords || StringIsValid(value),
            JsonValueKind.Number => NumberIsValid(value),
            _ => true,
        };
    }

    private bool HasType(JsonElement value) => Type switch
    {
        SchemaType.Any => true,
        SchemaType.Object => value.ValueKind == JsonValueKind.Object,
        SchemaType.Array => value.ValueKind == JsonValueKind.Array,
        SchemaType.String => value.ValueKind == JsonValueKind.String,
        SchemaType.Integer => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        SchemaType.Number => value.ValueKind == JsonValueKind.Number,
        SchemaType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => value.ValueKind == JsonValueKind.Null,
    };

    // Draft-06 and later: any number with a zero fractional part is an integer, 1.0 and 1e2 included.
    private static bool IsInteger(JsonElement value) =>
        value.TryGetInt64(out _) || (value.TryGetDouble(out double number) && number == Math.Truncate(number));

    private bool ObjectIsValid(JsonElement value)
    {
        ulong seen = 0;
        foreach (var property in value.EnumerateObject())
        {
            int index = IndexOf(property);
            if (index < 0)
            {
                if (ClosedObject)
                {
                    return false;
                }

                continue;
            }

            // With a repeated name only the first occurrence is the property's value (as JSON Pointer resolves it).
            ulong bit = 1UL << index;
            if ((seen & bit) != 0)
            {
                continue;
            }

            seen |= bit;
            if (!Properties[index].Schema.IsValid(property.Value))
            {
                return false;
            }
        }

        return (seen & RequiredMask) == RequiredMask;
    }

    private int IndexOf(JsonProperty property)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        bool escaped = name.Contains((byte)'\\');
        for (int i = 0; i < Properties.Length; i++)
        {
            if (escaped ? property.NameEquals(Properties[i].Utf8Name) : name.SequenceEqual(Properties[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    private bool ArrayIsValid(JsonElement value)
    {
        if (MinItems > 0 && value.GetArrayLength() < MinItems)
        {
            return false;
        }

        if (Items is not null)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (!Items.IsValid(item))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool StringIsValid(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw[1..^1];
        bool escaped = content.Contains((byte)'\\');
        return (Enum is null || InEnum(value, content, escaped))
            && LengthIsValid(value, content, escaped)
            && Format switch
            {
                StringFormat.DateTime => escaped ? DateTimeFormat.IsValid(Encoding.UTF8.GetBytes(value.GetString()!)) : DateTimeFormat.IsValid(content),
                StringFormat.Uri => UriFormat.IsValid(value.GetString()!),
                _ => true,
            };
    }

    private bool InEnum(JsonElement value, ReadOnlySpan<byte> content, bool escaped)
    {
        foreach (byte[] candidate in Utf8Enum!)
        {
            if (escaped ? value.ValueEquals(candidate) : content.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    private bool LengthIsValid(JsonElement value, ReadOnlySpan<byte> content, bool escaped)
    {
        if (MinLength is null && MaxLength is null)
        {
            return true;
        }

        // A text element is at least one UTF-16 unit, and a UTF-16 unit at least one byte of UTF-8 or of an escape,
        // so the raw length bounds the length from above and most strings need no counting.
        if (content.Length <= (MaxLength ?? int.MaxValue) && (MinLength is null or 0 || (MinLength == 1 && !content.IsEmpty)))
        {
            return true;
        }

        int length = TextLength.Count(value, content, escaped);
        return length >= (MinLength ?? 0) && length <= (MaxLength ?? int.MaxValue);
    }

    private bool NumberIsValid(JsonElement value)
    {
        if (Minimum is null && Maximum is null && MultipleOf is null)
        {
            return true;
        }

        if (IntegerLimitsOnly && value.TryGetInt64(out long integer))
        {
            return (Minimum is null || integer >= Minimum.Integer) && (Maximum is null || integer <= Maximum.Integer);
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        Span<byte> buffer = raw.Length <= StackLimit ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var number = ExactNumber.Parse(raw, buffer);
        return (Minimum is null || number.CompareTo(Minimum.Value) >= 0)
            && (Maximum is null || number.CompareTo(Maximum.Value) <= 0)
            && (MultipleOf is null || number.IsMultipleOf(MultipleOf.Digits, MultipleOf.Scale));
    }
}
