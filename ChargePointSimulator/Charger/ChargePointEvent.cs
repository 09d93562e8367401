namespace ChargePointSimulator.Charger;

public enum ChargePointEventKind
{
    Connecting, Connected, ConnectFailed, Disconnected, BootAccepted, BootPending, BootRejected, CallSent, CallFailed,
    ServerCall, StatusChanged, TransactionStarted, TransactionStopped, Authorized, AuthorizationRefused, Rebooting,
    ConfigurationChanged, FirmwareStatus, DiagnosticsStatus, Reservation, Information,
}

/// <summary>Something the charger did or saw, for printing (run) and for tests.</summary>
public sealed record ChargePointEvent(DateTimeOffset Timestamp, string ChargePointId, ChargePointEventKind Kind, string Description)
{
    public override string ToString() => $"{Timestamp:HH:mm:ss.fff} {ChargePointId} {Kind}: {Description}";
}
