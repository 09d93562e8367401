using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OcppServer.Api;

/// <summary>Requires a configured operator key in <c>X-Api-Key</c>; compares in constant time.</summary>
public sealed class ApiKeyEndpointFilter(IOptionsMonitor<ApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        string? presented = context.HttpContext.Request.Headers[HeaderName];
        if (presented is null || !IsValid(presented, options.CurrentValue.Keys))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "A valid operator key is required",
                detail: $"Send one of the keys configured in Api:Keys in the {HeaderName} header.");
        }

        return await next(context);
    }

    private static bool IsValid(string presented, IEnumerable<string> keys)
    {
        // Hashing first makes the comparison length-independent; every key is compared so timing reveals nothing.
        byte[] presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        bool match = false;
        foreach (string key in keys.Where(k => !string.IsNullOrEmpty(k)))
        {
            match |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return match;
    }
}
