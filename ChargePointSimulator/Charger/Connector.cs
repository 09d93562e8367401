using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>One connector's mutable state; guarded by the charge point's lock.</summary>
internal sealed class Connector(int id, EnergyMeter meter)
{
    public int Id { get; } = id;

    public EnergyMeter Meter { get; } = meter;

    /// <summary>Availability set by ChangeAvailability; kept across reboots.</summary>
    public bool Operative { get; set; } = true;

    /// <summary>Inoperative was requested while a transaction ran (ChangeAvailability answered Scheduled).</summary>
    public bool InoperativeScheduled { get; set; }

    public ChargePointErrorCode ErrorCode { get; set; } = ChargePointErrorCode.NoError;

    public IVehicle? Vehicle { get; set; }

    /// <summary>An idTag authorized for this connector that waits for the cable (ConnectionTimeOut).</summary>
    public string? PreparedIdTag { get; set; }

    public int? PreparedReservationId { get; set; }

    /// <summary>The TxProfile a remote start asked for, applied to the transaction the prepared session starts.</summary>
    public ChargingProfile? PreparedProfile { get; set; }

    public Transaction? Transaction { get; set; }

    public Reservation? Reservation { get; set; }

    /// <summary>A transaction ended and the cable is still plugged in.</summary>
    public bool Finishing { get; set; }

    /// <summary>The status last queued as StatusNotification.</summary>
    public ChargePointStatus? ReportedStatus { get; set; }
}

/// <summary>A transaction in progress. <see cref="TransactionId"/> is null until the central system answers StartTransaction.</summary>
internal sealed class Transaction(int localId, int connectorId, string idTag, int meterStart, DateTimeOffset startedAt, int? reservationId)
{
    public int LocalId { get; } = localId;

    public int ConnectorId { get; } = connectorId;

    public string IdTag { get; } = idTag;

    public string? ParentIdTag { get; set; }

    public int MeterStart { get; } = meterStart;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public int? ReservationId { get; } = reservationId;

    public int? TransactionId { get; set; }

    /// <summary>A TxProfile that came with RemoteStartTransaction, installed once the transactionId is known.</summary>
    public ChargingProfile? RequestedProfile { get; set; }

    /// <summary>StopTxnSampledData samples sent with StopTransaction.transactionData.</summary>
    public List<MeterValue> TransactionData { get; } = [];

    public CancellationTokenSource Sampling { get; } = new();
}

public sealed record Reservation(int ReservationId, int ConnectorId, string IdTag, string? ParentIdTag, DateTimeOffset ExpiryDate);

/// <summary>What a caller may see of a connector.</summary>
public sealed record ConnectorSnapshot(
    int ConnectorId,
    ChargePointStatus Status,
    bool VehiclePluggedIn,
    int? TransactionId,
    string? TransactionIdTag,
    int MeterWh,
    double PowerW,
    double? StateOfChargePercent,
    int? ReservationId);
