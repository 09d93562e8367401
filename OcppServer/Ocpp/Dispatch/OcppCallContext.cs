using OcppServer.Ocpp.Connections;

namespace OcppServer.Ocpp.Dispatch;

/// <summary>What a handler knows about the CALL it is answering.</summary>
public sealed class OcppCallContext(ChargePointConnection connection, string uniqueId)
{
    private List<Func<CancellationToken, Task>>? _afterReply;

    public ChargePointConnection Connection { get; } = connection;

    public string ChargePointId => Connection.ChargePointId;

    public string UniqueId { get; } = uniqueId;

    internal IReadOnlyList<Func<CancellationToken, Task>> AfterReply => _afterReply ?? [];

    /// <summary>Runs <paramref name="work"/> once the answer to this CALL has been sent (never before: chargers
    /// expect the answer to their CALL before they act on ours).</summary>
    public void RunAfterReply(Func<CancellationToken, Task> work) => (_afterReply ??= []).Add(work);
}
