using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OcppServer.Ocpp.Validation;

/// <summary>The slow path: every error, with JsonSchema.Net's wording, for a payload that <see cref="IsValid"/> refused.</summary>
internal sealed partial class SchemaNode
{
    public EvaluationNode Evaluate(JsonElement value, string location)
    {
        var node = new EvaluationNode(location);
        if (Reference is not null)
        {
            node.Children.Add(Reference.Evaluate(value, location));
            return node;
        }

        foreach (string keyword in Keywords)
        {
            Evaluate(keyword, value, node);
        }

        return node;
    }

    private void Evaluate(string keyword, JsonElement value, EvaluationNode node)
    {
        string? error = null;
        switch (keyword)
        {
            case "type" when !HasType(value):
                error = $"Value is \"{TypeName(value)}\" but should be \"{Type.ToString().ToLowerInvariant()}\"";
                break;
            case "properties" when value.ValueKind == JsonValueKind.Object:
                foreach (var property in Properties)
                {
                    if (FirstProperty(value, property.Name) is { } child)
                    {
                        node.Children.Add(property.Schema.Evaluate(child, Child(node.Location, property.Name)));
                    }
                }

                break;
            case "additionalProperties" when value.ValueKind == JsonValueKind.Object && ClosedObject:
                foreach (var property in value.EnumerateObject())
                {
                    if (!Properties.Any(p => p.Name == property.Name))
                    {
                        var extra = new EvaluationNode(Child(node.Location, property.Name));
                        extra.Errors.Add(("additionalProperties", "All values fail against the false schema"));
                        node.Children.Add(extra);
                    }
                }

                break;
            case "required" when value.ValueKind == JsonValueKind.Object:
                string[] missing = Required.Where(name => !value.TryGetProperty(name, out _)).ToArray();
                if (missing.Length > 0)
                {
                    error = $"Required properties {JsonSerializer.Serialize(missing)} are not present";
                }

                break;
            case "enum" when value.ValueKind != JsonValueKind.String || !Enum!.Any(candidate => value.ValueEquals(candidate)):
                error = "Value should match one of the values specified by the enum";
                break;
            case "maxLength" when value.ValueKind == JsonValueKind.String && TextLength.Count(value.GetString()) > MaxLength:
                error = $"Value should be at most {MaxLength} characters";
                break;
            case "minLength" when value.ValueKind == JsonValueKind.String && TextLength.Count(value.GetString()) < MinLength:
                error = $"Value should be at least {MinLength} characters";
                break;
            case "format" when value.ValueKind == JsonValueKind.String && !FormatIsValid(value.GetString()!):
                error = $"Value does not match format \"{(Format == StringFormat.DateTime ? "date-time" : "uri")}\"";
                break;
            case "items" when value.ValueKind == JsonValueKind.Array:
                int index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    node.Children.Add(Items!.Evaluate(item, Child(node.Location, (index++).ToString(CultureInfo.InvariantCulture))));
                }

                break;
            case "minItems" when value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < MinItems:
                error = $"Value should have at least {MinItems} items";
                break;
            case "minimum" when value.ValueKind == JsonValueKind.Number && Compare(value, Minimum!) < 0:
                error = $"{value.GetRawText()} should be at least {Minimum!.Text}";
                break;
            case "maximum" when value.ValueKind == JsonValueKind.Number && Compare(value, Maximum!) > 0:
                error = $"{value.GetRawText()} should be at most {Maximum!.Text}";
                break;
            case "multipleOf" when value.ValueKind == JsonValueKind.Number && !IsMultiple(value, MultipleOf!):
                error = $"{value.GetRawText()} should be a multiple of {MultipleOf!.Text}";
                break;
        }

        if (error is not null)
        {
            node.Errors.Add((keyword, error));
        }
    }

    private static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static JsonElement? FirstProperty(JsonElement value, string name)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string Child(string location, string segment) => $"{location}/{segment.Replace("~", "~0").Replace("/", "~1")}";

    private bool FormatIsValid(string text) => Format == StringFormat.DateTime
        ? DateTimeFormat.IsValid(System.Text.Encoding.UTF8.GetBytes(text))
        : UriFormat.IsValid(text);

    private static int Compare(JsonElement value, NumberLimit limit)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return ExactNumber.Parse(raw, new byte[raw.Length]).CompareTo(limit.Value);
    }

    private static bool IsMultiple(JsonElement value, Divisor divisor)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return ExactNumber.Parse(raw, new byte[raw.Length]).IsMultipleOf(divisor.Digits, divisor.Scale);
    }
}
