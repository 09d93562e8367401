using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChargePointSimulator.Cli;

/// <summary>The JSON file of <c>run --file</c>: the central system and the charge points to simulate.</summary>
public sealed record RunFile
{
    public string? Url { get; init; }

    public double? Speed { get; init; }

    public IReadOnlyList<RunFileChargePoint> ChargePoints { get; init; } = [];

    public static RunFile Load(string path) =>
        JsonSerializer.Deserialize<RunFile>(File.ReadAllText(path), JsonOptions) ?? throw new JsonException($"{path} is empty");

    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };
}

public sealed record RunFileChargePoint
{
    public required string Id { get; init; }

    public string? Password { get; init; }

    public int Connectors { get; init; } = 2;

    public string? Vendor { get; init; }

    public string? Model { get; init; }

    public string? FirmwareVersion { get; init; }

    public Dictionary<string, string>? Configuration { get; init; }

    /// <summary>Vehicles plugged in at start.</summary>
    public IReadOnlyList<RunFileVehicle>? Vehicles { get; init; }

    /// <summary>A driver who presents this idTag on connector 1 once the charger is on line.</summary>
    public string? StartSessionIdTag { get; init; }
}

public sealed record RunFileVehicle
{
    public int ConnectorId { get; init; } = 1;

    public string? Vin { get; init; }

    public string? EvccId { get; init; }

    public double SocPercent { get; init; } = 30;

    public double BatteryKWh { get; init; } = 60;

    public double MaxPowerKW { get; init; } = 11;
}
