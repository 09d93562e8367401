using System.Text.Json;

namespace OcppServer.Ocpp.Framing;

/// <summary>
/// The first two elements of a frame that cannot be parsed whole (not valid JSON after its id, nested too deep, too
/// large to keep): its MessageTypeId and UniqueId, when the text up to them is readable. A CALLERROR for such a frame
/// then carries the charger's own id (OCPP-J 1.6 §4.2.3 leaves <c>"-1"</c> for a frame whose id cannot be read).
/// </summary>
public readonly record struct FrameHead(int? MessageTypeId, string? UniqueId)
{
    /// <summary>Reads the head of <paramref name="utf8"/>; <paramref name="complete"/> is false for the start of a larger frame.</summary>
    public static FrameHead Read(ReadOnlySpan<byte> utf8, bool complete)
    {
        var reader = new Utf8JsonReader(utf8, complete, new JsonReaderState(new JsonReaderOptions { MaxDepth = 1024 }));
        int? typeId = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read())
            {
                return default;
            }

            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int type))
            {
                typeId = type;
            }
            else if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject && !reader.TrySkip())
            {
                return new FrameHead(typeId, null);
            }

            return reader.Read() && reader.TokenType == JsonTokenType.String
                ? new FrameHead(typeId, JsonText.ReadString(ref reader))
                : new FrameHead(typeId, null);
        }
        catch (JsonException)
        {
            return new FrameHead(typeId, null);
        }
    }
}
