using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Cluster;

/// <summary>
/// Node A is a real server process, killed with SIGKILL while its chargers are charging and sending meter values;
/// node B (in this process) shares its PostgreSQL and Redis. The chargers reconnect to B, and everything A answered
/// is in the database: an answer follows its commit.
/// </summary>
[NonParallelizable]
public sealed class NodeFailureTests
{
    private const int Chargers = 8;

    [Test]
    [CancelAfter(180_000)]
    public async Task A_node_killed_under_load_loses_only_its_sockets(CancellationToken cancellationToken)
    {
        var postgres = await PostgreSqlInstance.GetAsync();
        var redis = await RedisInstance.GetAsync();
        string database = await postgres.CreateDatabaseAsync(cancellationToken);
        string prefix = "k" + Guid.NewGuid().ToString("N")[..8];
        string images = Path.Combine(Path.GetTempPath(), "ocppauth-cluster-images", prefix);
        await using var b = await TestServer.StartAsync(MultiNodeTests.NodeSettings("node-b", database, redis.Configuration, prefix, images));
        using var a = await NodeProcess.StartAsync("node-a", MultiNodeTests.NodeSettings("node-a", database, redis.Configuration, prefix, images), cancellationToken);
        try
        {
            await RunAsync(a, b);
        }
        catch
        {
            TestContext.Out.WriteLine("Node A's output:" + Environment.NewLine + a.Output);
            throw;
        }
        finally
        {
            if (Directory.Exists(images))
            {
                Directory.Delete(images, recursive: true);
            }
        }
    }

    private static async Task RunAsync(NodeProcess a, TestServer b)
    {
        await b.CreateIdTagAsync("KILL-TAG");
        var chargers = new List<Charger>();
        for (int i = 0; i < Chargers; i++)
        {
            string id = $"KILL-{i}";
            await b.RegisterChargePointAsync(id);
            var client = await OcppTestClient.ConnectAsync(a.WebSocketUri(id), user: id, password: b.PasswordOf(id));
            await client.BootAsync();
            var start = await client.CallResultAsync("StartTransaction", new { connectorId = 1, idTag = "KILL-TAG", meterStart = 0, timestamp = Now() });
            chargers.Add(new Charger(id, client, start.GetProperty("transactionId").GetInt32()));
        }

        // Every charger sends meter values as fast as node A answers; A dies in the middle of it.
        var senders = chargers.Select(SendMeterValuesAsync).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(chargers.Sum(c => c.AcknowledgedCount)), n => n >= Chargers * 5, "node A answered meter values",
            TimeSpan.FromMinutes(1));
        a.Kill();
        await Task.WhenAll(senders);

        foreach (var charger in chargers)
        {
            // The charger reconnects (through the balancer, to B) and ends its transaction there.
            await charger.Client.DisposeAsync();
            await using var again = await b.ConnectAsync(charger.Id);
            await again.CallResultAsync("StopTransaction", new { transactionId = charger.TransactionId, meterStop = 100_000, timestamp = Now() });

            var stored = await b.QueryDatabaseAsync(
                "SELECT value FROM meter_values WHERE transaction_id = @id AND source = 'MeterValues'", ("@id", charger.TransactionId));
            var values = stored.Select(r => (string)r["value"]!).ToHashSet();
            Assert.That(charger.Acknowledged, Is.SubsetOf(values), $"{charger.Id}: every meter value node A answered is stored");
            var transaction = await b.GetJsonAsync($"/api/transactions/{charger.TransactionId}");
            Assert.That(transaction.GetProperty("meterStop").GetInt32(), Is.EqualTo(100_000), "the transaction A started is stopped through B");
        }

        // The API of B reaches a charger that moved to it, although A's claim has not run out yet.
        await using var moved = await b.ConnectAsync(chargers[0].Id);
        var sent = b.SendCommandAsync(chargers[0].Id, "ClearCache", "{}");
        await moved.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });
        (await sent).AssertStatus(HttpStatusCode.OK);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    /// <summary>Sends meter values one after the other until the node is gone; remembers each one the node answered.</summary>
    private static async Task SendMeterValuesAsync(Charger charger)
    {
        for (int n = 1; ; n++)
        {
            string value = (n * 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await charger.Client.CallResultAsync("MeterValues", new
                {
                    connectorId = 1,
                    transactionId = charger.TransactionId,
                    meterValue = new[] { new { timestamp = Now(), sampledValue = new[] { new { value } } } },
                });
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or AssertionException
                                           or IOException or TimeoutException)
            {
                return; // the node is gone: this value was not answered
            }

            lock (charger.Acknowledged)
            {
                charger.Acknowledged.Add(value);
            }
        }
    }

    private sealed record Charger(string Id, OcppTestClient Client, int TransactionId)
    {
        public HashSet<string> Acknowledged { get; } = [];

        public int AcknowledgedCount
        {
            get
            {
                lock (Acknowledged)
                {
                    return Acknowledged.Count;
                }
            }
        }
    }

    /// <summary>The server as a separate process (the build the tests run against), on a loopback port of its own.</summary>
    private sealed class NodeProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private NodeProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        /// <summary>What the process wrote so far (its log), for a failure report.</summary>
        public string Output => string.Join(Environment.NewLine, _output);

        public Uri WebSocketUri(string chargePointId) => new($"ws://127.0.0.1:{Port}/ocpp/{Uri.EscapeDataString(chargePointId)}");

        public static async Task<NodeProcess> StartAsync(string node, Dictionary<string, string?> settings, CancellationToken cancellationToken)
        {
            int port = FreePort();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OcppServer.dll"));
            foreach (var (key, value) in settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            start.Environment["Urls"] = $"http://127.0.0.1:{port}";
            start.Environment["Api__Keys__0"] = TestServer.ApiKey;
            start.Environment["Storage__DataDirectory"] = Path.Combine(Path.GetTempPath(), "ocppauth-tests", node + Guid.NewGuid().ToString("N"));
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process");
            var started = new NodeProcess(process, port);
            process.OutputDataReceived += (_, e) => started.Append(e.Data);
            process.ErrorDataReceived += (_, e) => started.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient();
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync($"http://127.0.0.1:{port}/healthz", cancellationToken)).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            }, status => status == HttpStatusCode.OK || process.HasExited, "node A serves", TimeSpan.FromSeconds(60));
            Assert.That(process.HasExited, Is.False, () => "node A started; its output:" + Environment.NewLine + started.Output);
            return started;
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
            }
        }

        /// <summary>SIGKILL: no shutdown, no goodbye to Redis, sockets dropped.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
