using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Biometrics;

/// <summary>A token the reader produced and what the central system answered.</summary>
public sealed record BiometricPresentationResult(string Token, DataTransferResponse Response);

/// <summary>The driver looks into the charger's face reader: the reader signs a BiometricToken and the charger sends it.</summary>
public static class BiometricPresentation
{
    /// <summary>
    /// Presents a face (its template as the reader captures it) at <paramref name="connectorId"/>: the reader signs an
    /// ES256 token for this charge point and connector, and the charger sends it in the org.ocppauth DataTransfer.
    /// </summary>
    public static async Task<BiometricPresentationResult> PresentFaceAsync(
        this ChargePoint chargePoint, BiometricReader reader, int connectorId, ReadOnlyMemory<float> template, double liveness,
        CancellationToken cancellationToken)
    {
        string token = reader.CreateToken(chargePoint.Id, connectorId, template.Span, liveness, chargePoint.Time);
        var response = await chargePoint.SendBiometricTokenAsync(connectorId, token, cancellationToken);
        return new BiometricPresentationResult(token, response);
    }
}
