using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Demo;

namespace ChargePointSimulator.Load;

/// <summary>
/// Who takes part in the journey workload, derived only from the id prefix and the charger's index: the station, and
/// per charger one driver (idTag, enrolled face), their vehicle (VIN with its ISO 3779 check digit, plate) and the
/// charger's biometric reader key. The parent process registers them; worker processes and reruns against the same
/// database rebuild exactly the same ones (nothing random, nothing passed between processes). The reader keys are
/// therefore not secret: this is for load tests only.
/// </summary>
public sealed class JourneyIdentities(string idPrefix)
{
    /// <summary>The connector every journey uses.</summary>
    public const int ConnectorId = 1;

    /// <summary>Liveness score the simulated reader reports for a genuine capture.</summary>
    public const double Liveness = 0.97;

    public BiometricTemplateGenerator Templates { get; } = new(128);

    public string StationId => $"{idPrefix}STATION";

    /// <summary>Every factor required, no server-started charging: the charger starts the session after Authorize.</summary>
    public static object StationPolicy { get; } = new { requirePreVerification = true, requireBiometric = true, requireVin = true, autoStart = false };

    public string IdTag(int index) => $"{idPrefix}TAG-{Number(index)}";

    public string DriverName(int index) => $"Load driver {idPrefix}{Number(index)}";

    /// <summary>Seed of the driver's face (<see cref="BiometricTemplateGenerator"/>).</summary>
    public string PersonSeed(int index) => $"load-driver:{idPrefix}{Number(index)}";

    public string Vin(int index) => DemoIdentities.Vin(new Random(StableSeed("vin", index)));

    /// <summary>Two letters of the prefix, the charger number, two more letters of the prefix (e.g. KT00042XR): unique per charger.</summary>
    public string Plate(int index)
    {
        var random = new Random(StableSeed("plate", -1));
        char L() => DemoIdentities.PlateLetters[random.Next(DemoIdentities.PlateLetters.Length)];
        return $"{L()}{L()}{Number(index)}{L()}{L()}";
    }

    /// <summary>The charger's reader, its key derived from the charge point id.</summary>
    public BiometricReader Reader(int index) => BiometricReader.Derive($"load-reader:{idPrefix}{Number(index)}");

    /// <summary>The problem with these identities for a run of <paramref name="count"/> chargers, or null.</summary>
    public string? Problem(int count)
    {
        const int maxIdTagLength = 20;
        string longest = IdTag(count - 1);
        return longest.Length > maxIdTagLength
            ? $"--id-prefix is too long for the journey: idTag {longest} has more than {maxIdTagLength} characters"
            : StationId.Length > 64 ? "--id-prefix is too long for the journey's station id (64 characters at most)"
            : null;
    }

    private static string Number(int index) => (index + 1).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A seed that is the same in every process (unlike string.GetHashCode).</summary>
    private int StableSeed(string purpose, int index) =>
        BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}:{idPrefix}:{index}")));
}
