using System.Collections.Frozen;

namespace OcppServer.Commands;

/// <summary>What a central system may send to a charge point: the 18 server-initiated OCPP 1.6 actions, and DataTransfer (both ways).</summary>
public static class ChargePointCommands
{
    public static FrozenSet<string> Actions { get; } = new[]
    {
        "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile",
        "DataTransfer", "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion",
        "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile",
        "TriggerMessage", "UnlockConnector", "UpdateFirmware",
    }.ToFrozenSet(StringComparer.Ordinal);
}
