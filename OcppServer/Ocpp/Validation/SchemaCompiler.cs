using System.Text;
using System.Text.Json;

namespace OcppServer.Ocpp.Validation;

/// <summary>
/// Compiles a JSON Schema (draft-07) into <see cref="SchemaNode"/>s, for exactly the subset our schemas use. Anything
/// else — an unknown keyword, a type list, a non-string enum, a $ref outside #/definitions — is refused with a
/// <see cref="SchemaCompilationException"/>, so that a new schema can't be silently half-checked.
/// </summary>
internal sealed class SchemaCompiler
{
    public const string Draft07 = "http://json-schema.org/draft-07/schema#";

    /// <summary>Keywords that validate nothing; $schema, $id and definitions only at the root.</summary>
    private static readonly HashSet<string> Annotations = ["title", "description"];

    private static readonly HashSet<string> RootOnly = ["$schema", "$id", "definitions"];

    private static readonly Dictionary<string, SchemaType> Types = new(StringComparer.Ordinal)
    {
        ["object"] = SchemaType.Object,
        ["array"] = SchemaType.Array,
        ["string"] = SchemaType.String,
        ["integer"] = SchemaType.Integer,
        ["number"] = SchemaType.Number,
        ["boolean"] = SchemaType.Boolean,
        ["null"] = SchemaType.Null,
    };

    private readonly string _name;
    private readonly JsonElement _root;
    private readonly Dictionary<string, SchemaNode> _definitions = new(StringComparer.Ordinal);

    private SchemaCompiler(string name, JsonElement root)
    {
        _name = name;
        _root = root;
    }

    public static SchemaNode Compile(string name, string json)
    {
        using var document = JsonDocument.Parse(json);
        return new SchemaCompiler(name, document.RootElement).CompileRoot();
    }

    private SchemaNode CompileRoot()
    {
        if (_root.ValueKind != JsonValueKind.Object)
        {
            throw Error("", "the schema must be an object");
        }

        if (_root.TryGetProperty("$schema", out var dialect) && dialect.GetString() != Draft07)
        {
            throw Error("/$schema", $"only {Draft07} is supported");
        }

        return Compile(_root, "", isRoot: true);
    }

    private SchemaNode Compile(JsonElement schema, string path, bool isRoot = false, SchemaNode? into = null)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "a subschema must be an object");
        }

        var node = into ?? new SchemaNode();
        if (schema.TryGetProperty("$ref", out var reference))
        {
            node.Reference = Resolve(schema, reference, path, isRoot);
            return node;
        }

        var keywords = new List<string>();
        foreach (var keyword in schema.EnumerateObject())
        {
            string at = $"{path}/{keyword.Name}";
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case var annotation when Annotations.Contains(annotation) || (isRoot && RootOnly.Contains(annotation)):
                    continue;
                case "type":
                    node.Type = value.ValueKind == JsonValueKind.String && Types.TryGetValue(value.GetString()!, out var type)
                        ? type
                        : throw Error(at, "must be one type name (a list of types is not supported)");
                    break;
                case "properties":
                    node.Properties = CompileProperties(value, at);
                    break;
                case "required":
                    node.Required = Strings(value, at, nonEmpty: false);
                    break;
                case "additionalProperties":
                    node.ClosedObject = value.ValueKind switch
                    {
                        JsonValueKind.False => true,
                        JsonValueKind.True => false,
                        _ => throw Error(at, "only true or false is supported"),
                    };
                    break;
                case "items":
                    node.Items = value.ValueKind == JsonValueKind.Object ? Compile(value, at) : throw Error(at, "only a single schema is supported");
                    break;
                case "minItems":
                    node.MinItems = Count(value, at);
                    break;
                case "minLength":
                    node.MinLength = Count(value, at);
                    break;
                case "maxLength":
                    node.MaxLength = Count(value, at);
                    break;
                case "enum":
                    node.Enum = Strings(value, at, nonEmpty: true);
                    node.Utf8Enum = node.Enum.Select(Encoding.UTF8.GetBytes).ToArray();
                    break;
                case "format":
                    node.Format = value.GetString() switch
                    {
                        "date-time" => StringFormat.DateTime,
                        "uri" => StringFormat.Uri,
                        _ => throw Error(at, $"format {value.GetRawText()} is not supported"),
                    };
                    break;
                case "minimum":
                    node.Minimum = new NumberLimit(Number(value, at));
                    break;
                case "maximum":
                    node.Maximum = new NumberLimit(Number(value, at));
                    break;
                case "multipleOf":
                    node.MultipleOf = Divisor(value, at);
                    break;
                default:
                    throw Error(at, $"keyword {keyword.Name} is not supported");
            }

            keywords.Add(keyword.Name);
        }

        // JsonSchema.Net evaluates keywords in schema order, except additionalProperties, which needs the annotations
        // of properties and so comes last.
        node.Keywords = [.. keywords.Where(k => k != "additionalProperties"), .. keywords.Where(k => k == "additionalProperties")];
        node.RequiredMask = RequiredMask(node, path);
        return node;
    }

    private SchemaNode Resolve(JsonElement schema, JsonElement reference, string path, bool isRoot)
    {
        const string prefix = "#/definitions/";
        if (schema.EnumerateObject().Any(k => k.Name != "$ref" && !Annotations.Contains(k.Name) && !(isRoot && RootOnly.Contains(k.Name))))
        {
            throw Error(path, "$ref must stand alone (draft-07 ignores its siblings)");
        }

        string target = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : "";
        string name = target.StartsWith(prefix, StringComparison.Ordinal) ? target[prefix.Length..] : "";
        if (name.Length == 0 || name.Contains('/') || name.Contains('~')
            || !_root.TryGetProperty("definitions", out var definitions) || !definitions.TryGetProperty(name, out var definition))
        {
            throw Error(path + "/$ref", $"{reference.GetRawText()} does not name one of #/definitions");
        }

        if (!_definitions.TryGetValue(name, out var compiled))
        {
            // Registered before it is compiled, so that a recursive definition refers to itself.
            compiled = new SchemaNode();
            _definitions[name] = compiled;
            Compile(definition, "/definitions/" + name, into: compiled);
        }

        return compiled;
    }

    private SchemaProperty[] CompileProperties(JsonElement properties, string path)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "must be an object");
        }

        var compiled = properties.EnumerateObject()
            .Select(p => new SchemaProperty(p.Name, Encoding.UTF8.GetBytes(p.Name), Compile(p.Value, $"{path}/{p.Name}")))
            .ToArray();
        if (compiled.Length > 64 || compiled.DistinctBy(p => p.Name).Count() != compiled.Length)
        {
            throw Error(path, "at most 64 properties, each named once, are supported");
        }

        return compiled;
    }

    private ulong RequiredMask(SchemaNode node, string path)
    {
        ulong mask = 0;
        foreach (string name in node.Required)
        {
            int index = Array.FindIndex(node.Properties, p => p.Name == name);
            mask |= index >= 0 ? 1UL << index : throw Error(path + "/required", $"{name} is required but not among the properties");
        }

        return mask;
    }

    private string[] Strings(JsonElement value, string path, bool nonEmpty)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String)
            || (nonEmpty && value.GetArrayLength() == 0))
        {
            throw Error(path, "must be an array of strings");
        }

        string[] strings = value.EnumerateArray().Select(v => v.GetString()!).ToArray();
        return strings.Distinct(StringComparer.Ordinal).Count() == strings.Length ? strings : throw Error(path, "must not repeat a value");
    }

    private int Count(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int count) && count >= 0 ? count : throw Error(path, "must be a non-negative integer");

    private string Number(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : throw Error(path, "must be a number");

    private Divisor Divisor(JsonElement value, string path)
    {
        try
        {
            return new Divisor(Number(value, path));
        }
        catch (ArgumentException ex)
        {
            throw Error(path, ex.Message);
        }
    }

    private SchemaCompilationException Error(string path, string message) => new($"Schema {_name} at #{path}: {message}");
}

/// <summary>A schema uses something <see cref="SchemaCompiler"/> does not implement.</summary>
public sealed class SchemaCompilationException(string message) : Exception(message);
