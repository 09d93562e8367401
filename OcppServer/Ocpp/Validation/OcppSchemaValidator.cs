using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace OcppServer.Ocpp.Validation;

/// <summary>
/// Validates OCPP 1.6 payloads and our vendor-extension documents against the JSON schemas embedded from <c>schemas/</c>.
/// Every schema is compiled once, when the validator is created; a schema using a keyword the compiler does not
/// implement stops the start-up with a <see cref="SchemaCompilationException"/>.
/// </summary>
public sealed class OcppSchemaValidator
{
    private const string ResourcePrefix = "Schemas/";
    private const string Ocpp = "ocpp16/";
    private const string Vendor = "vendor/";
    private const string ResponseSuffix = "Response";

    // Keyed without the folder, so that looking a schema up builds no string.
    private readonly FrozenDictionary<string, SchemaNode> _ocpp;
    private readonly FrozenDictionary<string, SchemaNode> _responses;
    private readonly FrozenDictionary<string, SchemaNode> _vendor;

    public OcppSchemaValidator()
    {
        var assembly = typeof(OcppSchemaValidator).Assembly;
        var schemas = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .ToDictionary(name => name, name => SchemaCompiler.Compile(name, ReadResource(assembly, ResourcePrefix + name + ".json")), StringComparer.Ordinal);

        _ocpp = InFolder(schemas, Ocpp).ToFrozenDictionary(StringComparer.Ordinal);
        _responses = _ocpp.Where(s => s.Key.EndsWith(ResponseSuffix, StringComparison.Ordinal))
            .ToFrozenDictionary(s => s.Key[..^ResponseSuffix.Length], s => s.Value, StringComparer.Ordinal);
        _vendor = InFolder(schemas, Vendor).ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Names of the OCPP 1.6 actions that have a request schema.</summary>
    public IEnumerable<string> Actions => _ocpp.Keys.Where(k => !k.EndsWith(ResponseSuffix, StringComparison.Ordinal));

    public bool HasAction(string action) => !action.EndsWith(ResponseSuffix, StringComparison.Ordinal) && _ocpp.ContainsKey(action);

    public SchemaViolation? ValidateRequest(string action, JsonElement payload) => Validate(_ocpp, Ocpp, action, payload);

    public SchemaViolation? ValidateResponse(string action, JsonElement payload) => Validate(_responses, Ocpp, action, payload, ResponseSuffix);

    /// <summary>Validates a document of our vendor extension, e.g. <c>VehicleIdentification</c>.</summary>
    public SchemaViolation? ValidateVendor(string documentName, JsonElement document) => Validate(_vendor, Vendor, documentName, document);

    private static SchemaViolation? Validate(FrozenDictionary<string, SchemaNode> schemas, string folder, string name, JsonElement payload, string suffix = "")
    {
        if (!schemas.TryGetValue(name, out var schema))
        {
            throw new InvalidOperationException($"No schema named {folder}{name}{suffix}");
        }

        if (PayloadText.Find(payload) is { } notText)
        {
            return notText;
        }

        return schema.IsValid(payload) ? null : ToViolation(schema.Evaluate(payload, ""));
    }

    /// <summary>
    /// The error to answer with: the most fundamental kind of problem (see <see cref="Classify"/>), and among equals the
    /// first in breadth-first order, i.e. the one nearest the top of the payload.
    /// </summary>
    private static SchemaViolation ToViolation(EvaluationNode result)
    {
        SchemaViolation? best = null;
        int bestRank = int.MaxValue;
        foreach (var node in result.BreadthFirst())
        {
            foreach (var (keyword, message) in node.Errors)
            {
                var (code, rank) = Classify(keyword);
                if (rank < bestRank)
                {
                    bestRank = rank;
                    best = new SchemaViolation(code, $"{(node.Location.Length == 0 ? "payload" : node.Location)}: {message}");
                }
            }
        }

        return best ?? new SchemaViolation(OcppErrorCode.FormationViolation, "Payload does not conform to the schema");
    }

    // Structural problems first, then missing fields, then wrong types, then out-of-range values.
    private static (string Code, int Rank) Classify(string keyword) => keyword switch
    {
        "additionalProperties" => (OcppErrorCode.FormationViolation, 0),
        "required" => (OcppErrorCode.OccurenceConstraintViolation, 1),
        "minItems" => (OcppErrorCode.OccurenceConstraintViolation, 1),
        "type" => (OcppErrorCode.TypeConstraintViolation, 2),
        _ => (OcppErrorCode.PropertyConstraintViolation, 3),
    };

    private static IEnumerable<KeyValuePair<string, SchemaNode>> InFolder(Dictionary<string, SchemaNode> schemas, string folder) =>
        schemas.Where(s => s.Key.StartsWith(folder, StringComparison.Ordinal))
            .Select(s => KeyValuePair.Create(s.Key[folder.Length..], s.Value));

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
