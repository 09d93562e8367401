using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Framing;

namespace OcppServer.Ocpp.Dispatch;

/// <summary>Turns one inbound CALL into the frame (CALLRESULT or CALLERROR) that answers it.</summary>
public interface IOcppCallDispatcher
{
    Task<OcppReply> DispatchAsync(ChargePointConnection connection, OcppCall call, CancellationToken cancellationToken);
}

/// <summary>
/// The answer to a CALL, plus work to start once the answer has been sent
/// (e.g. configuration pushed after an accepted BootNotification).
/// </summary>
public sealed record OcppReply(byte[] Frame, IReadOnlyList<Func<CancellationToken, Task>> AfterReply)
{
    public static OcppReply Of(byte[] frame) => new(frame, []);
}
