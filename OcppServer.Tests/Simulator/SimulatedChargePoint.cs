using System.Collections.Concurrent;
using ChargePointSimulator.Charger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>A <see cref="ChargePoint"/> of the simulator running against a <see cref="TestServer"/>, with short intervals.</summary>
internal sealed class SimulatedChargePoint : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private SimulatedChargePoint(ChargePoint chargePoint)
    {
        ChargePoint = chargePoint;
        chargePoint.EventRaised += e =>
        {
            Events.Enqueue(e);
            TestContext.Progress.WriteLine(e.ToString());
        };
        _running = chargePoint.RunAsync(_stop.Token);
    }

    public ChargePoint ChargePoint { get; }

    public ConcurrentQueue<ChargePointEvent> Events { get; } = new();

    /// <summary>Registers the charge point through the API and starts it; returns once its boot was accepted.</summary>
    public static async Task<SimulatedChargePoint> StartAsync(
        TestServer server, string id, Action<ChargePointOptions>? configure = null, TimeProvider? time = null, bool waitOnline = true)
    {
        await server.RegisterChargePointAsync(id);
        var options = new ChargePointOptions
        {
            Id = id,
            CentralSystem = OcppBase(server),
            Password = server.PasswordOf(id),
            Connectors = 2,
            CallTimeout = TimeSpan.FromSeconds(5),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
            RebootDuration = TimeSpan.FromMilliseconds(100),
            FirmwareStepDuration = TimeSpan.FromMilliseconds(100),
            Configuration = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["MeterValueSampleInterval"] = "1" },
        };
        configure?.Invoke(options);
        var simulated = new SimulatedChargePoint(new ChargePoint(options, time ?? TimeProvider.System, NullLogger<ChargePoint>.Instance));
        if (waitOnline)
        {
            await Eventually.TrueAsync(() => simulated.ChargePoint.IsOnline, "charge point on line");
        }

        return simulated;
    }

    public static Uri OcppBase(TestServer server) => new($"ws://{server.BaseUri.Authority}/ocpp");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
