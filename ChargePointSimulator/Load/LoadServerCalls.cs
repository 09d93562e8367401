using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Load;

/// <summary>
/// What a load charger of the journey workload answers to the central system: it accepts the offline-bypass
/// hardening a layered station pushes after boot (ChangeConfiguration, ClearCache), like a well-behaved charger;
/// anything else is NotImplemented, as for the other load chargers.
/// </summary>
internal sealed class LoadServerCalls : IOcppServerCallHandler
{
    public static LoadServerCalls Instance { get; } = new();

    public ValueTask<OcppServerCallReply> HandleAsync(OcppCallFrame call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(call.Action switch
        {
            "ChangeConfiguration" => OcppServerCallReply.Result(call.UniqueId, new ChangeConfigurationResponse(ConfigurationStatus.Accepted)),
            "ClearCache" => OcppServerCallReply.Result(call.UniqueId, new StatusResponse(AcceptedOrRejected.Accepted)),
            _ => OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.NotImplemented, $"{call.Action} is not implemented"),
        });
}
