using System.Buffers;
using System.Text.Json;

namespace OcppServer.Ocpp.Framing;

/// <summary>Writes OCPP-J frames as UTF-8 JSON.</summary>
public static class OcppFrameWriter
{
    public static byte[] Call(string uniqueId, string action, JsonElement payload) =>
        Write(w =>
        {
            w.WriteNumberValue((int)OcppMessageType.Call);
            w.WriteStringValue(uniqueId);
            w.WriteStringValue(action);
            payload.WriteTo(w);
        });

    public static byte[] CallResult(string uniqueId, JsonElement payload) =>
        Write(w =>
        {
            w.WriteNumberValue((int)OcppMessageType.CallResult);
            w.WriteStringValue(uniqueId);
            payload.WriteTo(w);
        });

    /// <summary>
    /// A CALLERROR. The id is written back exactly as the charger sent it, even one holding an unpaired surrogate escape
    /// (which <see cref="Utf8JsonWriter"/> would turn into U+FFFD); such characters in the description become U+FFFD.
    /// </summary>
    public static byte[] CallError(string uniqueId, string errorCode, string description) =>
        Write(w =>
        {
            w.WriteNumberValue((int)OcppMessageType.CallError);
            if (JsonText.IsWellFormed(uniqueId))
            {
                w.WriteStringValue(uniqueId);
            }
            else
            {
                w.WriteRawValue(JsonText.ToAsciiLiteral(uniqueId));
            }

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
