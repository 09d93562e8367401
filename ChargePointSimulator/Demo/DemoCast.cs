using System.Collections.Concurrent;
using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Camera;
using ChargePointSimulator.Charger;

namespace ChargePointSimulator.Demo;

/// <summary>
/// One scenario's cast, registered through the API with ids unique to the run: a station (autoStart off), a charge
/// point with a biometric reader, an entrance camera, a driver with an idTag and an enrolled face, and their vehicle;
/// then the simulated charger, connected and booted.
/// </summary>
public sealed class DemoCast : IAsyncDisposable
{
    private readonly DemoContext _context;
    private DemoCharger? _charger;

    private DemoCast(DemoContext context, string name)
    {
        _context = context;
        string suffix = context.NewSuffix();
        StationId = $"DEMO-ST-{name}-{suffix}";
        ChargePointId = $"DEMO-CP-{suffix}"; // serial "SIM-{id}" and meter serial must fit CiString25
        CameraId = $"DEMO-CAM-{name}-{suffix}";
        IdTag = $"DEMO-{suffix}";
        PersonSeed = $"demo-driver-{suffix}";
        Vin = context.NewVin();
        Plate = context.NewPlate();
    }

    public string StationId { get; }
    public string ChargePointId { get; }
    public string CameraId { get; }
    public string IdTag { get; }
    public string PersonSeed { get; }
    public string Vin { get; }
    public string Plate { get; }
    public string DriverId { get; private set; } = "";
    public string VehicleId { get; private set; } = "";
    public BiometricReader Reader { get; } = new();

    /// <summary>The charger's AuthorizationKey (HTTP Basic password): 16 random bytes as 32 hex characters.</summary>
    public string Password { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    public CameraClient Camera { get; private set; } = null!;
    public ChargePoint ChargePoint { get; private set; } = null!;
    public ConcurrentQueue<ChargePointEvent> Events { get; } = new();
    public VehicleIdentificationResult? LastVin { get; private set; }

    private DemoReport Report => _context.Report;

    /// <summary>Registers everything and connects the charger. <paramref name="verbose"/> prints one line per registration.</summary>
    public static async Task<DemoCast> CreateAsync(DemoContext context, string name, bool verbose, CancellationToken ct)
    {
        var cast = new DemoCast(context, name);
        var api = context.Api;
        await api.CreateStationAsync(cast.StationId, $"Demo station {name}", new { autoStart = false }, ct);
        cast.Pass(verbose, "register station", $"{cast.StationId} (policy: pre-verification + biometric + VIN, autoStart=false)");
        int profile = context.Security.Profile;
        await api.RegisterChargePointAsync(cast.ChargePointId, cast.StationId, profile == 3 ? null : cast.Password, profile, ct);
        cast.Pass(verbose, "register charge point", $"{cast.ChargePointId}, security profile {profile}" + profile switch
        {
            3 => " (TLS with a client certificate: no password)",
            2 => " (HTTP Basic over TLS)",
            _ => " (HTTP Basic)",
        });
        string cameraKey = await api.CreateCameraAsync(cast.CameraId, cast.StationId, ct);
        cast.Camera = new CameraClient(api.Http, cast.CameraId, cameraKey);
        cast.Pass(verbose, "register camera", $"{cast.CameraId} (key received)");
        cast.DriverId = await api.CreateDriverAsync($"Demo driver {name}", cast.IdTag, ct);
        await api.EnrollFaceAsync(cast.DriverId, context.Templates.Enrolled(cast.PersonSeed), ct);
        cast.Pass(verbose, "register driver", $"{cast.DriverId}, idTag {cast.IdTag}, face template enrolled ({context.Templates.Dimensions} floats)");
        cast.VehicleId = await api.CreateVehicleAsync(cast.Vin, cast.Plate, cast.DriverId, ct);
        cast.Pass(verbose, "register vehicle", $"{cast.VehicleId}, VIN {cast.Vin}, plate {cast.Plate}");
        await api.RegisterReaderAsync(cast.ChargePointId, cast.Reader.KeyId, cast.Reader.PublicKeyPem, ct);
        cast.Pass(verbose, "register biometric reader", $"key id {cast.Reader.KeyId}");
        if (!verbose)
        {
            context.Report.Info($"cast: {cast.StationId}, {cast.ChargePointId}, driver {cast.IdTag}, VIN {cast.Vin}, plate {cast.Plate}");
        }

        return cast;
    }

    /// <summary>Starts the charger, waits until its boot is accepted and the server's offline hardening was answered.</summary>
    public async Task<bool> ConnectAsync(bool verbose, CancellationToken ct)
    {
        var security = _context.Security;
        _charger = DemoCharger.Start(
            _context, ChargePointId, security.Profile == 3 ? null : Password, [new VehicleIdentificationHook(r => LastVin = r)], Events, security);
        ChargePoint = _charger.ChargePoint;

        var (online, _) = await _context.WaitForAsync(_ => Task.FromResult(ChargePoint.IsOnline), o => o, ct);
        if (!online)
        {
            return Report.Step("connect + BootNotification", false, $"the charger did not come on line: {_charger.LastEvents()}");
        }

        var (hardened, cp) = await _context.WaitForAsync(
            c => _context.Api.GetChargePointAsync(ChargePointId, c),
            c => c.TryGetProperty("offlineHardening", out var h) && h.ValueKind == System.Text.Json.JsonValueKind.Object
                 && h.GetProperty("settings").GetArrayLength() >= 6,
            ct);
        string answers = hardened
            ? string.Join(", ", cp.GetProperty("offlineHardening").GetProperty("settings").EnumerateArray()
                .Select(s => $"{s.GetProperty("setting").GetString()}{(s.TryGetProperty("value", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? "=" + v.GetString() : "")}:{s.GetProperty("status").GetString()}"))
            : "no hardening answers recorded";
        bool bypass = hardened && cp.GetProperty("offlineHardening").GetProperty("bypassPossible").GetBoolean();
        bool ok = hardened && !bypass;
        if (verbose || !ok)
        {
            Report.Step("connect + BootNotification Accepted", true, $"{ChargePoint.Id} on line");
            if (cp.TryGetProperty("connectionSecurity", out var connection) && connection.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                int admitted = connection.GetProperty("securityProfile").GetInt32();
                Report.Step($"admitted at security profile {_context.Security.Profile}", admitted >= _context.Security.Profile,
                    $"the server admitted the connection at profile {admitted}" +
                    (connection.TryGetProperty("tls", out var tls) && tls.ValueKind == System.Text.Json.JsonValueKind.String ? $", {tls.GetString()}" : ", plain ws://") +
                    (connection.TryGetProperty("clientCertificateSerialNumber", out var serial) && serial.ValueKind == System.Text.Json.JsonValueKind.String
                        ? $", client certificate CN={ChargePoint.Id} serial {serial.GetString()}" : ""));
            }

            Report.Step("offline hardening answered by the key store", ok, $"{answers}; bypassPossible={bypass}");
        }

        return ok;
    }

    private int _framesTaken;

    /// <summary>
    /// The entrance camera photographs <paramref name="plate"/> (default: this vehicle's) and posts it. Like an ANPR
    /// camera watching the lane, it sends up to <see cref="EntranceFrames"/> frames (each a new rendering) until one
    /// is Passed; every frame not passed is printed. With <see cref="DemoContext.BurstFrames"/> above 1 it sends the
    /// passage as one burst of that many frames instead.
    /// </summary>
    public async Task<PreVerificationRecord> CaptureEntranceAsync(CancellationToken ct, string? plate = null)
    {
        if (_context.BurstFrames > 1)
        {
            // A camera that sends the passage as one burst: the server votes over the frames and keeps one record.
            byte[][] frames = [.. Enumerable.Range(0, _context.BurstFrames).Select(_ => TakeFrame(plate ?? Plate))];
            var voted = await Camera.CaptureBurstAsync(frames, capturedAt: null, plateHint: null, passageId: null, ct);
            Report.Info($"camera burst of {frames.Length} frames: one record, verdict {voted.Verdict}, plate voted {voted.Plate ?? "-"}");
            return voted;
        }

        for (int frame = 1; ; frame++)
        {
            var record = await CaptureFrameAsync(plate ?? Plate, capturedAt: null, ct);
            if (record.Verdict == "Passed" || frame == EntranceFrames)
            {
                return record;
            }

            Report.Info($"camera frame {frame}: verdict {record.Verdict}, plate read {record.Plate ?? "-"}; the camera sends another frame");
        }
    }

    /// <summary>Frames the entrance camera sends at most for one vehicle.</summary>
    public const int EntranceFrames = 3;

    /// <summary>The image bytes of the last frame the entrance camera sent.</summary>
    public byte[]? LastEntranceImage { get; private set; }

    /// <summary>
    /// The entrance camera photographs <paramref name="plate"/> once and posts the frame, with <paramref name="capturedAt"/>
    /// when given (otherwise the server takes its own time).
    /// </summary>
    public Task<PreVerificationRecord> CaptureFrameAsync(string plate, DateTimeOffset? capturedAt, CancellationToken ct) =>
        Camera.CaptureAsync(TakeFrame(plate), capturedAt, plateHint: null, ct);

    /// <summary>
    /// The entrance camera's next frame of <paramref name="plate"/>: every frame a new rendering, as a real sensor never
    /// takes the same bytes twice (the server refuses a replay).
    /// </summary>
    private byte[] TakeFrame(string plate)
    {
        int seed = StableHash(CameraId) % 10_000;
        byte[] image = _context.Scenes.Render(plate, PlateStyle.EuWhite, seed + ++_framesTaken).Jpeg;
        LastEntranceImage = image;
        return image;
    }

    /// <summary>Plugs a vehicle with this (or another) VIN into a connector; the hook sends VehicleIdentification.</summary>
    public async Task<VehicleIdentificationResult?> PlugInAsync(int connectorId, string? vin, CancellationToken ct)
    {
        LastVin = null;
        await ChargePoint.PlugInAsync(connectorId, new SimulatedVehicle(vin: vin, evccId: vin is null ? null : "02:00:00:00:00:01"), ct);
        return LastVin;
    }

    /// <summary>A genuine capture of this driver's face (enrolled template plus sensor noise).</summary>
    public float[] GenuineFace(int sample = 1) => _context.Templates.GenuineSample(PersonSeed, sample);

    public bool SawServerCall(string action) =>
        Events.Any(e => e.Kind == ChargePointEventKind.ServerCall && e.Description.StartsWith(action + " ", StringComparison.Ordinal));

    /// <summary>Switches the charger off, as a power cut would: its socket closes and it sends nothing more.</summary>
    public Task StopChargerAsync() => _charger?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_charger is not null)
        {
            await _charger.DisposeAsync();
        }

        Reader.Dispose();
    }

    private void Pass(bool verbose, string step, string detail)
    {
        if (verbose)
        {
            Report.Step(step, true, detail);
        }
    }

    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;
}
