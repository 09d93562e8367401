using System.Net;
using System.Net.Http.Json;

namespace ChargePointSimulator.Cli;

/// <summary>
/// Registers charge points through the back-office API (<c>POST /api/chargepoints</c> with X-Api-Key); 409 means it
/// exists, and then its password is set to the one given, so that the simulator's charger can authenticate.
/// </summary>
public sealed class ChargePointRegistrar(HttpClient api)
{
    /// <summary>The security profile charge points are registered with (null: the server's default for a password, or none).</summary>
    public int? SecurityProfile { get; init; }

    /// <summary>An API client; over https it trusts <paramref name="trustedRoots"/> only, when given.</summary>
    public static HttpClient CreateClient(Uri apiBase, string apiKey, System.Security.Cryptography.X509Certificates.X509Certificate2Collection? trustedRoots = null)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        if (trustedRoots is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback =
                (_, certificate, _, errors) => Ocpp.TlsCredentials.ValidateServer(certificate, errors, trustedRoots);
        }

        var client = new HttpClient(handler) { BaseAddress = apiBase, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>
    /// Returns true when created, false when it already existed; throws on any other answer. The charge point belongs
    /// to no station and is decided on its id tag alone (<c>IdTagOnly</c>, the operator's explicit choice, shown as a
    /// risk); without a password it is registered <c>allowUnauthenticated</c>, likewise explicit.
    /// </summary>
    public async Task<bool> RegisterAsync(string id, string? password, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync(
            "/api/chargepoints",
            new
            {
                id, password, allowUnauthenticated = password is null && SecurityProfile != 3 ? true : (bool?)null, authorization = "IdTagOnly",
                securityProfile = SecurityProfile,
            },
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            if (password is not null)
            {
                using var set = await api.PutAsJsonAsync($"/api/chargepoints/{Uri.EscapeDataString(id)}/password", new { password }, cancellationToken);
                await EnsureAsync(set, $"Setting the password of {id}", cancellationToken);
            }

            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"Registering {id} failed: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        return true;
    }

    /// <summary>Registers many with bounded parallelism; returns how many were created.</summary>
    public async Task<int> RegisterAllAsync(IReadOnlyList<string> ids, Func<string, string?> passwordFor, int parallelism, CancellationToken cancellationToken)
    {
        int created = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await RegisterAsync(id, passwordFor(id), ct))
                {
                    Interlocked.Increment(ref created);
                }
            });
        return created;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{what} failed: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }
    }
}
