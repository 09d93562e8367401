using System.Collections.Frozen;

namespace OcppServer.Commands;

/// <summary>
/// What a central system may send to a charge point: the 18 server-initiated OCPP 1.6 actions, DataTransfer (both ways),
/// and the 7 of the OCPP 1.6 security whitepaper (edition 3).
/// </summary>
public static class ChargePointCommands
{
    public static FrozenSet<string> Actions { get; } = new[]
    {
        "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile",
        "DataTransfer", "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion",
        "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile",
        "TriggerMessage", "UnlockConnector", "UpdateFirmware",
        "CertificateSigned", "DeleteCertificate", "ExtendedTriggerMessage", "GetInstalledCertificateIds", "GetLog", "InstallCertificate",
        "SignedUpdateFirmware",
    }.ToFrozenSet(StringComparer.Ordinal);
}
