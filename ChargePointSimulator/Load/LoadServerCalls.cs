using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Load;

/// <summary>
/// What a load charger of the journey workload answers to the central system: it accepts the offline-bypass
/// hardening a layered station pushes after boot (ChangeConfiguration, ClearCache), like a well-behaved charger;
/// anything else is NotImplemented, as for the other load chargers. The ClearCache that ends the hardening tells the
/// charger that the server has stored its answers: its first journey waits for it (a session begun before then is
/// refused, fail closed, as UntrustedChargePoint).
/// </summary>
internal sealed class LoadServerCalls(LoadChargePoint charger) : IOcppServerCallHandler
{
    public ValueTask<OcppServerCallReply> HandleAsync(OcppCallFrame call, CancellationToken cancellationToken)
    {
        if (call.Action == "ClearCache")
        {
            charger.Hardened.TrySetResult();
        }

        return ValueTask.FromResult(call.Action switch
        {
            "ChangeConfiguration" => OcppServerCallReply.Result(call.UniqueId, new ChangeConfigurationResponse(ConfigurationStatus.Accepted)),
            "ClearCache" => OcppServerCallReply.Result(call.UniqueId, new StatusResponse(AcceptedOrRejected.Accepted)),
            _ => OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.NotImplemented, $"{call.Action} is not implemented"),
        });
    }
}
