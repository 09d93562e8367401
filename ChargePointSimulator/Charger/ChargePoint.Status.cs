using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

public sealed partial class ChargePoint
{
    /// <summary>The connector status that follows from its state (OCPP 1.6 §4.9). Caller holds the lock.</summary>
    private ChargePointStatus StatusOf(Connector connector)
    {
        bool chargePointOperative = _connectors[0].Operative;
        if (connector.Id == 0)
        {
            return chargePointOperative ? ChargePointStatus.Available : ChargePointStatus.Unavailable;
        }

        if (connector.ErrorCode != ChargePointErrorCode.NoError)
        {
            return ChargePointStatus.Faulted;
        }

        if (connector.Transaction is not null)
        {
            if (connector.Vehicle is null)
            {
                return ChargePointStatus.SuspendedEV;
            }

            return connector.Meter.OfferedW <= 0 ? ChargePointStatus.SuspendedEVSE
                : connector.Meter.PowerW <= 0 ? ChargePointStatus.SuspendedEV
                : ChargePointStatus.Charging;
        }

        if (!connector.Operative || !chargePointOperative)
        {
            return ChargePointStatus.Unavailable;
        }

        if (connector.Finishing && connector.Vehicle is not null)
        {
            return ChargePointStatus.Finishing;
        }

        if (connector.Vehicle is not null || connector.PreparedIdTag is not null)
        {
            return ChargePointStatus.Preparing;
        }

        return connector.Reservation is not null ? ChargePointStatus.Reserved : ChargePointStatus.Available;
    }

    /// <summary>Queues a StatusNotification when the status changed. Caller holds the lock.</summary>
    private void RefreshStatus(Connector connector)
    {
        var status = StatusOf(connector);
        if (connector.ReportedStatus == status)
        {
            return;
        }

        connector.ReportedStatus = status;
        Raise(ChargePointEventKind.StatusChanged, $"connector {connector.Id}: {status}");
        QueueStatus(connector, status);
    }

    private void QueueStatus(Connector connector, ChargePointStatus status) =>
        Forget(Send("StatusNotification", new StatusNotificationRequest(connector.Id, connector.ErrorCode, status, Timestamp: _time.GetUtcNow())));

    /// <summary>After a boot or reconnection: the status of every connector, including connector 0.</summary>
    private void ReportAllStatuses()
    {
        lock (_gate)
        {
            foreach (var connector in _connectors)
            {
                UpdatePower(connector);
                var status = StatusOf(connector);
                connector.ReportedStatus = status;
                QueueStatus(connector, status);
            }
        }
    }

    private void RefreshAllStatuses()
    {
        foreach (var connector in _connectors)
        {
            RefreshStatus(connector);
        }
    }

    /// <summary>Books the energy so far and sets the power now offered and drawn. Caller holds the lock.</summary>
    private void UpdatePower(Connector connector)
    {
        var now = _time.GetUtcNow();
        connector.Meter.Advance(now, connector.Vehicle);
        if (connector.Transaction is { } transaction && connector.Vehicle is { } vehicle && connector.Id > 0)
        {
            double maximum = _supply.ToWatts(_options.MaxCurrentAmps, ChargingRateUnit.A);
            double offered = Math.Min(maximum, ChargingProfiles.LimitWatts(connector.Id, now, transaction.StartedAt, _supply) ?? maximum);
            connector.Meter.SetPower(offered, vehicle.AcceptedPower(offered));
        }
        else
        {
            connector.Meter.SetPower(0, 0);
        }
    }

    private void UpdatePowerEverywhere()
    {
        lock (_gate)
        {
            foreach (var connector in _connectors.Skip(1))
            {
                UpdatePower(connector);
                RefreshStatus(connector);
            }
        }
    }
}
