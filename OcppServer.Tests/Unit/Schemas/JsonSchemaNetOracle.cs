using System.Text.Json;
using Json.Schema;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>
/// The server's former validator, on JsonSchema.Net: the reference our schema compiler is compared with.
/// Same evaluation options and the same choice of the error to report.
/// </summary>
internal sealed class JsonSchemaNetOracle
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly Dictionary<string, JsonSchema> _schemas;

    public JsonSchemaNetOracle()
    {
        var buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        _schemas = SchemaResources.All.ToDictionary(s => s.Key, s => JsonSchema.FromText(s.Value, buildOptions));
    }

    public SchemaViolation? Validate(string schemaName, JsonElement payload)
    {
        var result = _schemas[schemaName].Evaluate(payload, Evaluation);
        return result.IsValid ? null : ToViolation(result);
    }

    private static SchemaViolation ToViolation(EvaluationResults result)
    {
        SchemaViolation? best = null;
        int bestRank = int.MaxValue;
        foreach (var detail in result.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? [])
            {
                string path = detail.EvaluationPath.ToString();
                var (code, rank) = Classify(keyword.Length > 0 ? keyword : path[(path.LastIndexOf('/') + 1)..]);
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

    private static (string Code, int Rank) Classify(string keyword) => keyword switch
    {
        "additionalProperties" => (OcppErrorCode.FormationViolation, 0),
        "required" or "minItems" or "maxItems" => (OcppErrorCode.OccurenceConstraintViolation, 1),
        "type" => (OcppErrorCode.TypeConstraintViolation, 2),
        _ => (OcppErrorCode.PropertyConstraintViolation, 3),
    };
}
