namespace OcppServer.Storage.Repositories;

public sealed record StationRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Policy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record DriverRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public bool Blocked { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record VehicleRow
{
    public string Id { get; init; } = "";
    public string Vin { get; init; } = "";
    public string Plate { get; init; } = "";
    public string OwnerDriverId { get; init; } = "";
    public bool Blocked { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record BiometricTemplateRow
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

public sealed record BiometricReaderRow
{
    public string ChargePointId { get; init; } = "";
    public string KeyId { get; init; } = "";
    public string PublicKeyPem { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
}
