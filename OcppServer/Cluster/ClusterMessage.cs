using System.Text.Json;
using System.Text.Json.Serialization;

namespace OcppServer.Cluster;

/// <summary>What nodes tell each other over Redis pub/sub (JSON). One shape for every kind keeps the wire simple.</summary>
public sealed record ClusterMessage(
    string Kind,
    string Origin,
    string? ChargePointId = null,
    long Epoch = 0,
    string? CorrelationId = null,
    string? Action = null,
    string? Payload = null,
    int TimeoutMilliseconds = 0,
    string? Outcome = null,
    string? ErrorCode = null,
    string? Description = null,
    string? Topic = null,
    string? Credential = null,
    string? Address = null,
    int CloseStatus = 0)
{
    /// <summary>Node-directed: a newer connection of the charger holds it now (close yours if older than <see cref="Epoch"/>).</summary>
    public const string TakeOver = "takeover";

    /// <summary>Node-directed: send this call to the charger you hold and reply to <see cref="Origin"/>.</summary>
    public const string Call = "call";

    /// <summary>Node-directed: how a relayed call ended (<see cref="Outcome"/>).</summary>
    public const string Reply = "reply";

    /// <summary>Node-directed: close the charger's socket (<see cref="CloseStatus"/>, <see cref="Description"/>).</summary>
    public const string Close = "close";

    /// <summary>Node-directed: recheck the charger's socket, close it unless what admitted it still qualifies.</summary>
    public const string Recheck = "recheck";

    /// <summary>To every node: recheck the sockets admitted by the client certificate (<see cref="Credential"/> = serial, <see cref="Address"/> = issuer).</summary>
    public const string RecheckCertificate = "recheck-certificate";

    /// <summary>To every node: a cache of <see cref="Topic"/> changed (for <see cref="ChargePointId"/> when it names one).</summary>
    public const string Invalidate = "invalidate";

    /// <summary>To every node: a failed attempt at a credential, to count against it everywhere.</summary>
    public const string CredentialFailure = "failure";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ClusterMessage? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ClusterMessage>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
