namespace OcppServer.Registry;

public sealed record StationRecord
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Policy { get; init; }

    /// <summary>The plate region (a code of the plate format catalogue, e.g. DE or US-CA), or null: the default regions.</summary>
    public string? PlateRegion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record DriverRecord
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public bool Blocked { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record VehicleRecord
{
    public string Id { get; init; } = "";
    public string Vin { get; init; } = "";
    public string Plate { get; init; } = "";
    public string OwnerDriverId { get; init; } = "";

    /// <summary>The EV communication controller's id (ISO 15118 / DIN 70121), normalised; null when not registered.</summary>
    public string? EvccId { get; init; }
    public bool Blocked { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record BiometricTemplateRecord
{
    public string Id { get; init; } = "";
    public string DriverId { get; init; } = "";
    public string Modality { get; init; } = "";
    public int Dimension { get; init; }
    public byte[] Nonce { get; init; } = [];
    public byte[] Ciphertext { get; init; } = [];
    public byte[] Tag { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record BiometricReaderRecord
{
    public string ChargePointId { get; init; } = "";
    public string KeyId { get; init; } = "";
    public string PublicKeyPem { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record IdTagRecord
{
    public string IdTag { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset? ExpiryDate { get; init; }
    public string? ParentIdTag { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record CameraRecord
{
    public string Id { get; init; } = "";
    public string StationId { get; init; } = "";
    public string KeyHash { get; init; } = "";
    public DateTimeOffset? LastCaptureAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A driver as listed: their id tags and how many templates are enrolled (the templates themselves never leave the store).</summary>
public sealed record DriverSummary(DriverRecord Driver, IReadOnlyList<string> IdTags, int TemplateCount);
