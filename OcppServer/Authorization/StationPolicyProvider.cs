using System.Text.Json;
using Microsoft.Extensions.Options;
using OcppServer.Registry;

namespace OcppServer.Authorization;

/// <summary>The station of a charge point and the policy in force there.</summary>
public sealed record StationContext(string StationId, StationPolicy Policy);

public sealed class StationPolicyProvider(IStationStore stations, IOptionsMonitor<AuthorizationOptions> options)
{
    public static readonly JsonSerializerOptions PolicyJson = new(JsonSerializerDefaults.Web);

    public StationPolicy Defaults => options.CurrentValue.DefaultPolicy;

    /// <summary>Null when the charge point belongs to no station: then only its id tag is checked.</summary>
    public async Task<StationContext?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken)
    {
        var station = await stations.GetForChargePointAsync(chargePointId, cancellationToken);
        return station is null ? null : new StationContext(station.Id, Resolve(station.Policy));
    }

    public StationPolicy Resolve(string? storedOverrides) =>
        storedOverrides is null ? Defaults : (JsonSerializer.Deserialize<StationPolicyOverrides>(storedOverrides, PolicyJson) ?? new()).ApplyTo(Defaults);
}
