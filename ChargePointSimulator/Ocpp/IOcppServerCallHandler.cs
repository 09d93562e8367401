using System.Text.Json;

namespace ChargePointSimulator.Ocpp;

/// <summary>
/// Answers the CALLs the central system sends. The answer must not wait for the network: anything that needs the
/// central system (e.g. Authorize after RemoteStartTransaction) goes into <see cref="OcppServerCallReply.AfterReply"/>,
/// which runs once the answer has been sent.
/// </summary>
public interface IOcppServerCallHandler
{
    ValueTask<OcppServerCallReply> HandleAsync(OcppCallFrame call, CancellationToken cancellationToken);
}

/// <summary>The frame that answers a server CALL and the work to start once it is sent.</summary>
public sealed record OcppServerCallReply(byte[] Frame, Func<CancellationToken, Task>? AfterReply = null)
{
    public static OcppServerCallReply Result<T>(string uniqueId, T payload, Func<CancellationToken, Task>? afterReply = null) =>
        new(OcppFrameCodec.CallResult(uniqueId, OcppJson.ToElement(payload)), afterReply);

    public static OcppServerCallReply Result(string uniqueId, JsonElement payload) => new(OcppFrameCodec.CallResult(uniqueId, payload));

    public static OcppServerCallReply Error(string uniqueId, string errorCode, string description) =>
        new(OcppFrameCodec.CallError(uniqueId, errorCode, description));
}
