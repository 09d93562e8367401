using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace OcppServer.Ocpp.Validation;

/// <summary>
/// Validates OCPP 1.6 payloads and our vendor-extension documents against the JSON schemas embedded from <c>schemas/</c>.
/// Every schema is compiled once, when the validator is created.
/// </summary>
public sealed class OcppSchemaValidator
{
    private const string ResourcePrefix = "Schemas/";

    // Valid payloads (nearly all of them) are checked with the cheap Flag output; only an invalid one is evaluated
    // again with the detailed List output that names the failing keyword and location.
    private static readonly EvaluationOptions Check = new()
    {
        OutputFormat = OutputFormat.Flag,
        RequireFormatValidation = true,
    };

    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    private readonly FrozenDictionary<string, JsonSchema> _schemas;

    public OcppSchemaValidator()
    {
        var buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var assembly = typeof(OcppSchemaValidator).Assembly;
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            string name = resource[ResourcePrefix.Length..^".json".Length];
            schemas[name] = JsonSchema.FromText(ReadResource(assembly, resource), buildOptions);
        }

        _schemas = schemas.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Names of the OCPP 1.6 actions that have a request schema.</summary>
    public IEnumerable<string> Actions =>
        _schemas.Keys.Where(k => k.StartsWith("ocpp16/", StringComparison.Ordinal) && !k.EndsWith("Response", StringComparison.Ordinal))
            .Select(k => k["ocpp16/".Length..]);

    public bool HasAction(string action) =>
        !action.EndsWith("Response", StringComparison.Ordinal) && _schemas.ContainsKey("ocpp16/" + action);

    public SchemaViolation? ValidateRequest(string action, JsonElement payload) => Validate("ocpp16/" + action, payload);

    public SchemaViolation? ValidateResponse(string action, JsonElement payload) => Validate("ocpp16/" + action + "Response", payload);

    /// <summary>Validates a document of our vendor extension, e.g. <c>VehicleIdentification</c>.</summary>
    public SchemaViolation? ValidateVendor(string documentName, JsonElement document) => Validate("vendor/" + documentName, document);

    private SchemaViolation? Validate(string schemaName, JsonElement payload)
    {
        if (!_schemas.TryGetValue(schemaName, out var schema))
        {
            throw new InvalidOperationException($"No schema named {schemaName}");
        }

        if (schema.Evaluate(payload, Check).IsValid)
        {
            return null;
        }

        var result = schema.Evaluate(payload, Evaluation);
        return result.IsValid ? null : ToViolation(result);
    }

    private static SchemaViolation ToViolation(EvaluationResults result)
    {
        SchemaViolation? best = null;
        int bestRank = int.MaxValue;
        foreach (var detail in result.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                // A `false` subschema (e.g. under additionalProperties) reports its error without a keyword:
                // the keyword that applied it is the last step of the evaluation path.
                var (code, rank) = Classify(keyword.Length > 0 ? keyword : LastSegment(detail.EvaluationPath.ToString()));
                if (rank < bestRank)
                {
                    bestRank = rank;
                    string location = detail.InstanceLocation.ToString();
                    best = new SchemaViolation(code, $"{(location.Length == 0 ? "payload" : location)}: {message}");
                }
            }
        }

        return best ?? new SchemaViolation(OcppErrorCode.FormationViolation, "Payload does not conform to the schema");
    }

    private static string LastSegment(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..];

    // Structural problems first, then missing fields, then wrong types, then out-of-range values.
    private static (string Code, int Rank) Classify(string keyword) => keyword switch
    {
        "additionalProperties" => (OcppErrorCode.FormationViolation, 0),
        "required" => (OcppErrorCode.OccurenceConstraintViolation, 1),
        "minItems" or "maxItems" => (OcppErrorCode.OccurenceConstraintViolation, 1),
        "type" => (OcppErrorCode.TypeConstraintViolation, 2),
        _ => (OcppErrorCode.PropertyConstraintViolation, 3),
    };

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
