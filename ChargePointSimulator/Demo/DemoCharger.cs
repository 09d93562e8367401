using System.Collections.Concurrent;
using ChargePointSimulator.Charger;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChargePointSimulator.Demo;

/// <summary>
/// A simulated charger of the demo (two connectors, HTTP Basic with its AuthorizationKey, quick reconnects), running
/// from <see cref="Start"/> until <see cref="StopAsync"/> or disposal; everything it does is kept in <see cref="Events"/>.
/// </summary>
public sealed class DemoCharger : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private DemoCharger(ChargePoint chargePoint, ConcurrentQueue<ChargePointEvent> events)
    {
        ChargePoint = chargePoint;
        Events = events;
        ChargePoint.EventRaised += Events.Enqueue;
        _running = ChargePoint.RunAsync(_stop.Token);
    }

    public ChargePoint ChargePoint { get; }

    public ConcurrentQueue<ChargePointEvent> Events { get; }

    /// <summary>The charger's run; faulted when it stopped on an error.</summary>
    public Task Running => _running;

    /// <summary>Starts the charger <paramref name="id"/> against the demo's server; <paramref name="events"/> collects what it does.</summary>
    public static DemoCharger Start(
        DemoContext context, string id, string? password, IEnumerable<IVehiclePlugInHook>? plugInHooks = null, ConcurrentQueue<ChargePointEvent>? events = null,
        DemoSecurity? security = null)
    {
        var options = new ChargePointOptions
        {
            Id = id,
            CentralSystem = context.OcppBase,
            Password = password,
            SecurityProfile = security?.Profile,
            TrustedServerRoots = context.Security.ServerRoots,
            ClientCertificate = security is { Profile: 3, ChargePointCa: { } ca } ? Ocpp.TlsCredentials.Issue(id, ca) : null,
            Connectors = 2,
            CallTimeout = TimeSpan.FromSeconds(10),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            Configuration = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["MeterValueSampleInterval"] = "1" },
        };
        return new DemoCharger(new ChargePoint(options, context.Time, NullLogger<ChargePoint>.Instance, plugInHooks), events ?? new());
    }

    /// <summary>The last few things the charger did, for a report line.</summary>
    public string LastEvents(int count = 5) =>
        string.Join(" | ", Events.TakeLast(count).Select(e => $"{e.Kind}: {e.Description}"))
        + (_running.Exception is { } failed ? $" | charger stopped: {failed.InnerException?.Message}" : "");

    /// <summary>Switches the charger off (its socket closes; nothing more is sent).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
