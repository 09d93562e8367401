using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Camera;

namespace ChargePointSimulator.Demo;

/// <summary>What every scenario of one demo run shares: the API, the OCPP endpoint, the output, the generators.</summary>
public sealed class DemoContext(DemoBackOffice api, Uri ocppBase, DemoReport report, PlateSceneGenerator scenes, TimeProvider time)
{
    private readonly Random _random = new();
    private readonly Lock _gate = new();

    public DemoBackOffice Api { get; } = api;

    public Uri OcppBase { get; } = ocppBase;

    public DemoReport Report { get; } = report;

    public PlateSceneGenerator Scenes { get; } = scenes;

    public TimeProvider Time { get; } = time;

    public BiometricTemplateGenerator Templates { get; } = new(128);

    /// <summary>How the journey's charger connects (security profile, trusted roots, the CA that issues its certificate).</summary>
    public DemoSecurity Security { get; init; } = DemoSecurity.Basic;

    /// <summary>Frames the entrance camera sends as one burst per passage (1: single frames, retried up to three times).</summary>
    public int BurstFrames { get; init; } = 1;

    /// <summary>How long to wait for something the server does on its own (a stored transaction, a RemoteStop).</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Makes the ids of one scenario unique on the server (runs can be repeated).</summary>
    public string NewSuffix()
    {
        lock (_gate)
        {
            return DemoIdentities.RunSuffix(_random);
        }
    }

    public string NewVin()
    {
        lock (_gate)
        {
            return DemoIdentities.Vin(_random);
        }
    }

    public string NewPlate()
    {
        lock (_gate)
        {
            return DemoIdentities.Plate(_random);
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds for the value read, or the timeout passes (returns the last value).</summary>
    public async Task<(bool Ok, T Value)> WaitForAsync<T>(
        Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken ct, TimeSpan? timeout = null)
    {
        var deadline = Time.GetUtcNow() + (timeout ?? WaitTimeout);
        while (true)
        {
            var value = await read(ct);
            if (done(value))
            {
                return (true, value);
            }

            if (Time.GetUtcNow() >= deadline)
            {
                return (false, value);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), Time, ct);
        }
    }
}

/// <summary>
/// The security profile of the journey's charger (OCPP 1.6 security whitepaper): 1 (Basic over ws://), 2 (Basic over
/// wss://) or 3 (a client certificate over wss://, issued for its identity by <see cref="ChargePointCa"/>, as a
/// manufacturer would); <see cref="ServerRoots"/>: what it trusts for the server's certificate (null: the system's roots).
/// </summary>
public sealed record DemoSecurity(
    int Profile,
    System.Security.Cryptography.X509Certificates.X509Certificate2Collection? ServerRoots = null,
    System.Security.Cryptography.X509Certificates.X509Certificate2? ChargePointCa = null)
{
    public static DemoSecurity Basic { get; } = new(1);
}
