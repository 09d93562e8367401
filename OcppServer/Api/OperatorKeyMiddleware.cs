using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using OcppServer.Security;

namespace OcppServer.Api;

/// <summary>Marks an endpoint (the <c>/api</c> group) as one only an operator with a configured key may call.</summary>
public sealed class OperatorKeyRequired
{
    public static OperatorKeyRequired Instance { get; } = new();

    private OperatorKeyRequired()
    {
    }
}

/// <summary>The largest request body an endpoint reads; Kestrel answers 413 beyond it.</summary>
public sealed record RequestBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>
/// Requires a configured operator key in <c>X-Api-Key</c> (or as <c>Authorization: Bearer</c>, what a Prometheus scrape
/// sends) for every endpoint marked <see cref="OperatorKeyRequired"/>,
/// before the endpoint runs: an unauthenticated caller never makes the server read, buffer or parse its body.
/// Keys are compared in constant time.
/// </summary>
public sealed partial class OperatorKeyMiddleware(
    RequestDelegate next, IOptionsMonitor<ApiOptions> options, CredentialFailureLimiter failures, ILogger<OperatorKeyMiddleware> logger)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>Failures with wrong operator keys are limited per source address (one bucket for all keys).</summary>
    private const string Credential = "operator-key";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<OperatorKeyRequired>() is not null)
        {
            string? presented = Presented(context.Request);
            string? address = context.Connection.RemoteIpAddress?.ToString();
            bool locked = failures.IsLocked(Credential, address);
            int keyIndex = presented is null ? -1 : MatchingKey(presented, options.CurrentValue.Keys);
            if (locked || keyIndex < 0)
            {
                if (!locked && presented is not null)
                {
                    failures.RecordFailure(Credential, address);
                }

                LogRefused(logger, context.Request.Path, address ?? "-", locked ? "too many failed keys from this address" : presented is null ? "no key" : "wrong key");
                // The body is left unread; Kestrel drains or drops it within its own limits.
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "A valid operator key is required",
                    detail: $"Send one of the keys configured in Api:Keys in the {HeaderName} header.").ExecuteAsync(context);
                return;
            }

            context.Items[ActorItem] = Operators.AuditTrail.ApiKeyActor(keyIndex);
        }

        await next(context);
    }

    /// <summary>The <see cref="HttpContext.Items"/> entry naming the caller for the audit log ("api-key:n").</summary>
    public const string ActorItem = "ocppauth.actor";

    /// <summary>The key in <c>X-Api-Key</c>, else a bearer token; null when neither header is there.</summary>
    private static string? Presented(HttpRequest request)
    {
        string? key = request.Headers[HeaderName];
        if (key is not null)
        {
            return key;
        }

        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[BearerPrefix.Length..].Trim()
            : null;
    }

    private const string BearerPrefix = "Bearer ";

    /// <summary>The index in Api:Keys of the key presented (its position names the caller in the audit log), or -1.</summary>
    private static int MatchingKey(string presented, IReadOnlyList<string> keys)
    {
        // Hashing first makes the comparison length-independent; every key is compared so timing reveals nothing.
        byte[] presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        int match = -1;
        for (int i = 0; i < keys.Count; i++)
        {
            if (!string.IsNullOrEmpty(keys[i]) && CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(keys[i]))))
            {
                match = i;
            }
        }

        return match;
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Security event: operator API call to {Path} from {RemoteAddress} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string remoteAddress, string reason);
}
