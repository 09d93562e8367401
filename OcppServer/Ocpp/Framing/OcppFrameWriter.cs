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

    public static byte[] CallError(string uniqueId, string errorCode, string description) =>
        Write(w =>
        {
            w.WriteNumberValue((int)OcppMessageType.CallError);
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
