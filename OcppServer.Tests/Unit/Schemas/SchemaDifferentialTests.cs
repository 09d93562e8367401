using System.Text.Json;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>
/// Our compiled schemas against JsonSchema.Net, the validator they replace: for every schema, generated valid payloads
/// and mutated ones must get the same verdict and the same CALLERROR (code and description).
/// </summary>
public sealed class SchemaDifferentialTests
{
    private const int ValidPerSchema = 150;
    private const int InvalidPerSchema = 300;

    private static readonly OcppSchemaValidator Validator = new();
    private static readonly JsonSchemaNetOracle Oracle = new();

    private static IEnumerable<string> SchemaNames() => SchemaResources.All.Keys.Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(SchemaNames))]
    public void Agrees_with_JsonSchema_Net(string schemaName)
    {
        using var schemaDocument = JsonDocument.Parse(SchemaResources.All[schemaName]);
        // A fixed seed per schema (string.GetHashCode changes from run to run).
        var random = new Random(schemaName.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)));
        var generator = new PayloadGenerator(schemaDocument.RootElement, random);
        var mutator = new PayloadMutator(generator, schemaDocument.RootElement, random);

        var disagreements = new List<string>();
        int valid = 0, invalid = 0;
        for (int i = 0; i < ValidPerSchema + InvalidPerSchema; i++)
        {
            var document = generator.Valid(schemaDocument.RootElement);
            string payload = i < ValidPerSchema ? mutator.Write(document) : mutator.Mutate(document);
            using var parsed = JsonDocument.Parse(payload);
            var actual = Validate(schemaName, parsed.RootElement);
            if (NamesAPropertyTwice(payload))
            {
                // JSON leaves duplicates open and JsonSchema.Net reads the first; we refuse them before any keyword.
                if (actual?.ErrorCode != OcppErrorCode.FormationViolation || !actual.Description.Contains("is named twice", StringComparison.Ordinal))
                {
                    disagreements.Add($"{payload}\n    expected: FormationViolation ... is named twice\n    ours:     {Show(actual)}");
                }

                invalid++;
                continue;
            }

            var expected = Oracle.Validate(schemaName, parsed.RootElement);
            if (expected != actual)
            {
                disagreements.Add($"{payload}\n    JsonSchema.Net: {Show(expected)}\n    ours:           {Show(actual)}");
            }

            _ = expected is null ? valid++ : invalid++;
        }

        Assert.That(disagreements, Is.Empty, $"{disagreements.Count} disagreements, e.g.\n{string.Join("\n", disagreements.Take(5))}");
        TestContext.Out.WriteLine($"{schemaName}: {valid} valid, {invalid} invalid payloads");
        Assert.That(valid, Is.GreaterThanOrEqualTo(100), "valid payloads generated");
        Assert.That(invalid, Is.GreaterThanOrEqualTo(150), "invalid payloads generated");
    }

    private static SchemaViolation? Validate(string schemaName, JsonElement payload)
    {
        string name = schemaName[(schemaName.IndexOf('/') + 1)..];
        return schemaName.StartsWith("vendor/", StringComparison.Ordinal) ? Validator.ValidateVendor(name, payload)
            : name.EndsWith("Response", StringComparison.Ordinal) ? Validator.ValidateResponse(name[..^"Response".Length], payload)
            : Validator.ValidateRequest(name, payload);
    }

    /// <summary>Told by System.Text.Json itself, not by the code under test.</summary>
    private static bool NamesAPropertyTwice(string payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static string Show(SchemaViolation? violation) => violation is null ? "valid" : $"{violation.ErrorCode} {violation.Description}";
}
