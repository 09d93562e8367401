using System.Text.Json.Serialization;

namespace ChargePointSimulator.Biometrics;

/// <summary>
/// Claims of a BiometricToken (org.ocppauth): the charge point and connector it is for, its validity window and unique
/// id, the modality, the captured template (base64url little-endian float32[]) and the liveness score.
/// </summary>
public sealed record BiometricTokenClaims(
    [property: JsonPropertyName("cp")] string ChargePointId,
    [property: JsonPropertyName("connectorId")] int ConnectorId,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("jti")] string TokenId,
    [property: JsonPropertyName("mod")] string Modality,
    [property: JsonPropertyName("tpl")] string Template,
    [property: JsonPropertyName("liveness")] double Liveness);
