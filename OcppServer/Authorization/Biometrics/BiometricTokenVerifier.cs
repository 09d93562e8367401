using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OcppServer.Registry;

namespace OcppServer.Authorization.Biometrics;

/// <summary>A token's verified claims; its jti must be remembered (against replays) until <paramref name="RememberJtiUntil"/>.</summary>
public sealed record BiometricClaims(
    string Jti, string KeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, double Liveness, float[] Template, DateTimeOffset RememberJtiUntil);

/// <summary>Outcome of verifying a token: <see cref="Claims"/> when valid, otherwise the reason (and what could be read).</summary>
public sealed record TokenVerification(string Reason, BiometricClaims? Claims, string? KeyId = null, string? Jti = null)
{
    public const string Valid = "Valid";

    public bool IsValid => Claims is not null;
}

/// <summary>
/// Verifies a biometric reader's compact JWS (RFC 7515): ES256 only, signed by the key registered for this charge
/// point's reader, claims bound to this charge point and connector, short-lived. Whether its jti was seen before is
/// decided when the token is stored (<see cref="IEvidenceStore.InsertVerifiedBiometricTokenAsync"/>), in the same commit.
/// </summary>
public sealed class BiometricTokenVerifier(
    IBiometricReaderStore readers,
    IOptionsMonitor<BiometricOptions> options,
    TimeProvider time)
{
    public const int MaxTokenLength = 8192;

    private readonly ConcurrentDictionary<string, (string Pem, ECDsa Key)> _keys = new(StringComparer.Ordinal);

    public async Task<TokenVerification> VerifyAsync(
        string chargePointId, int connectorId, string token, double minLiveness, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        string[] parts = token.Split('.');
        if (token.Length > MaxTokenLength || parts.Length != 3
            || !TryDecode(parts[0], out byte[] headerBytes) || !TryDecode(parts[1], out byte[] payloadBytes) || !TryDecode(parts[2], out byte[] signature))
        {
            return new TokenVerification("MalformedToken", null);
        }

        JsonElement header, payload;
        try
        {
            // A claim named twice (e.g. two "cp") would be checked on one value and used with the other: refused.
            var strict = new JsonDocumentOptions { AllowDuplicateProperties = false };
            header = JsonDocument.Parse(headerBytes, strict).RootElement;
            payload = JsonDocument.Parse(payloadBytes, strict).RootElement;
        }
        catch (JsonException)
        {
            return new TokenVerification("MalformedToken", null);
        }

        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object)
        {
            return new TokenVerification("MalformedToken", null);
        }

        // Only ES256: "none", HMAC (key confusion) and everything else are refused before any key is looked up.
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "ES256")
        {
            return new TokenVerification("AlgorithmNotAllowed", null);
        }

        if (header.TryGetProperty("crit", out _))
        {
            return new TokenVerification("UnsupportedCriticalHeader", null);
        }

        string? keyId = header.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
        if (string.IsNullOrEmpty(keyId))
        {
            return new TokenVerification("MissingKeyId", null);
        }

        var reader = await readers.GetByKeyIdAsync(keyId, cancellationToken);
        if (reader is null)
        {
            return new TokenVerification("UnknownKey", null, keyId);
        }

        if (reader.ChargePointId != chargePointId)
        {
            return new TokenVerification("KeyOfAnotherChargePoint", null, keyId);
        }

        byte[] signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (signature.Length != 64 || !Key(reader).VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return new TokenVerification("BadSignature", null, keyId);
        }

        return VerifyClaims(payload, chargePointId, connectorId, keyId, minLiveness, settings);
    }

    private TokenVerification VerifyClaims(
        JsonElement payload, string chargePointId, int connectorId, string keyId, double minLiveness, BiometricOptions settings)
    {
        string? jti = String(payload, "jti");
        if (jti is null or { Length: 0 or > 128 } || String(payload, "cp") is not { } cp || !Long(payload, "connectorId", out long tokenConnector)
            || !Long(payload, "iat", out long iat) || !Long(payload, "exp", out long exp) || String(payload, "mod") is not { } modality
            || !Double(payload, "liveness", out double liveness) || String(payload, "tpl") is not { } tpl)
        {
            return new TokenVerification("MissingOrInvalidClaims", null, keyId, jti);
        }

        if (cp != chargePointId)
        {
            return new TokenVerification("ChargePointMismatch", null, keyId, jti);
        }

        if (tokenConnector != connectorId)
        {
            return new TokenVerification("ConnectorMismatch", null, keyId, jti);
        }

        var now = time.GetUtcNow();
        var skew = TimeSpan.FromSeconds(settings.ClockSkewSeconds);
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253402300799));
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799));
        if (expiresAt + skew < now)
        {
            return new TokenVerification("Expired", null, keyId, jti);
        }

        if (issuedAt - skew > now)
        {
            return new TokenVerification("IssuedInFuture", null, keyId, jti);
        }

        if (expiresAt <= issuedAt || expiresAt - issuedAt > TimeSpan.FromSeconds(settings.MaxTokenLifetimeSeconds))
        {
            return new TokenVerification("LifetimeTooLong", null, keyId, jti);
        }

        if (modality != "face")
        {
            return new TokenVerification("ModalityNotSupported", null, keyId, jti);
        }

        if (liveness is < 0 or > 1 || liveness < minLiveness)
        {
            return new TokenVerification("LivenessTooLow", null, keyId, jti);
        }

        float[]? template = TryDecode(tpl, out byte[] tplBytes) ? TemplateCodec.FromLittleEndianBytes(tplBytes) : null;
        if (template is null || template.Length != settings.TemplateDimension)
        {
            return new TokenVerification("TemplateWrongLength", null, keyId, jti);
        }

        // The jti is recorded only with a good signature (when the token is stored), so forged tokens cannot burn a reader's jtis.
        return new TokenVerification(
            TokenVerification.Valid, new BiometricClaims(jti, keyId, issuedAt, expiresAt, liveness, template, expiresAt + skew), keyId, jti);
    }

    private ECDsa Key(BiometricReaderRecord reader)
    {
        if (_keys.TryGetValue(reader.KeyId, out var cached) && cached.Pem == reader.PublicKeyPem)
        {
            return cached.Key;
        }

        var key = ECDsa.Create();
        key.ImportFromPem(reader.PublicKeyPem);
        _keys[reader.KeyId] = (reader.PublicKeyPem, key);
        return key;
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Long(JsonElement e, string name, out long value)
    {
        value = 0;
        return e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out value);
    }

    private static bool Double(JsonElement e, string name, out double value)
    {
        value = 0;
        return e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out value);
    }

    private static bool TryDecode(string base64Url, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(base64Url);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
