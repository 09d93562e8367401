using System.Buffers;
using System.Text.Json;

namespace ChargePointSimulator.Ocpp;

/// <summary>An OCPP-J message: CALL [2,id,action,payload], CALLRESULT [3,id,payload] or CALLERROR [4,id,code,description,details].</summary>
public abstract record OcppFrame(string UniqueId);

public sealed record OcppCallFrame(string UniqueId, string Action, JsonElement Payload) : OcppFrame(UniqueId);

public sealed record OcppCallResultFrame(string UniqueId, JsonElement Payload) : OcppFrame(UniqueId);

public sealed record OcppCallErrorFrame(string UniqueId, string ErrorCode, string Description) : OcppFrame(UniqueId);

/// <summary>OCPP-J error codes (OCPP-J 1.6 §4.2.3).</summary>
public static class OcppErrorCodes
{
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    public const string InternalError = "InternalError";
    public const string ProtocolError = "ProtocolError";
    public const string SecurityError = "SecurityError";
    public const string FormationViolation = "FormationViolation";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string OccurenceConstraintViolation = "OccurenceConstraintViolation";
    public const string TypeConstraintViolation = "TypeConstraintViolation";
    public const string GenericError = "GenericError";
}

/// <summary>Reads and writes OCPP-J frames as UTF-8 JSON.</summary>
public static class OcppFrameCodec
{
    /// <summary>Parses a frame; returns null when the text is not an OCPP-J frame at all.</summary>
    public static OcppFrame? Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 3 || root[0].ValueKind != JsonValueKind.Number
                || root[1].ValueKind != JsonValueKind.String)
            {
                return null;
            }

            string id = root[1].GetString()!;
            return root[0].GetInt32() switch
            {
                2 when root.GetArrayLength() == 4 && root[2].ValueKind == JsonValueKind.String =>
                    new OcppCallFrame(id, root[2].GetString()!, root[3].Clone()),
                3 => new OcppCallResultFrame(id, root[2].Clone()),
                4 when root.GetArrayLength() >= 4 => new OcppCallErrorFrame(id, root[2].GetString() ?? string.Empty, root[3].GetString() ?? string.Empty),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public static byte[] Call(string uniqueId, string action, JsonElement payload) =>
        Write(w =>
        {
            w.WriteNumberValue(2);
            w.WriteStringValue(uniqueId);
            w.WriteStringValue(action);
            payload.WriteTo(w);
        });

    public static byte[] CallResult(string uniqueId, JsonElement payload) =>
        Write(w =>
        {
            w.WriteNumberValue(3);
            w.WriteStringValue(uniqueId);
            payload.WriteTo(w);
        });

    public static byte[] CallError(string uniqueId, string errorCode, string description) =>
        Write(w =>
        {
            w.WriteNumberValue(4);
            w.WriteStringValue(uniqueId);
            w.WriteStringValue(errorCode);
            w.WriteStringValue(description);
            w.WriteStartObject();
            w.WriteEndObject();
        });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            body(writer);
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
