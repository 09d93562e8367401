using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>The schemas embedded in the server, by name ("ocpp16/Heartbeat", "vendor/BiometricToken", ...).</summary>
internal static class SchemaResources
{
    private const string Prefix = "Schemas/";

    public static IReadOnlyDictionary<string, string> All { get; } = Load();

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(OcppSchemaValidator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..^".json".Length], n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            });
    }
}
