using System.Net;
using System.Net.Http.Json;

namespace ChargePointSimulator.Cli;

/// <summary>Registers charge points through the back-office API (<c>POST /api/chargepoints</c> with X-Api-Key); 409 means it exists.</summary>
public sealed class ChargePointRegistrar(HttpClient api)
{
    public static HttpClient CreateClient(Uri apiBase, string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = apiBase, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Returns true when created, false when it already existed; throws on any other answer.</summary>
    public async Task<bool> RegisterAsync(string id, string? password, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync("/api/chargepoints", new { id, password }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
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
    public async Task<int> RegisterAllAsync(IReadOnlyList<string> ids, string? password, int parallelism, CancellationToken cancellationToken)
    {
        int created = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await RegisterAsync(id, password, ct))
                {
                    Interlocked.Increment(ref created);
                }
            });
        return created;
    }
}
