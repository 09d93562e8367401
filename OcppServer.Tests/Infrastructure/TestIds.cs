using System.Globalization;

namespace OcppServer.Tests.Infrastructure;

/// <summary>Distinct charge point ids and id tags, so tests that share a server never see each other's data.</summary>
public static class TestIds
{
    private static int _next;

    /// <summary>e.g. <c>Next("CP")</c> → <c>"CP-17"</c>. Short enough for an idTag (CiString20) with a short prefix.</summary>
    public static string Next(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>An OCPP timestamp (UTC, milliseconds, Z), as the server writes them.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
