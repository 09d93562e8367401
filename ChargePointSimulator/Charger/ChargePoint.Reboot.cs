using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

public sealed partial class ChargePoint
{
    /// <summary>Reset: Soft stops the transactions (reason SoftReset) and waits for them to be delivered; both then reboot.</summary>
    internal async Task ResetAsync(ResetType type, CancellationToken cancellationToken)
    {
        await Task.Delay(_options.ResetDelay, _time, cancellationToken);
        if (type == ResetType.Soft)
        {
            lock (_gate)
            {
                foreach (var connector in _connectors.Skip(1))
                {
                    EndTransaction(connector, StopReason.SoftReset, idTag: null);
                }
            }

            await _outbox.WaitUntilEmptyAsync(_options.SoftResetDrainTimeout, _time, cancellationToken);
        }

        RequestReboot(type);
    }

    /// <summary>Closes the connection; the run loop then reboots (off line for RebootDuration) and boots again.</summary>
    internal void RequestReboot(ResetType type)
    {
        lock (_gate)
        {
            _pendingReboot = type;
        }

        Raise(ChargePointEventKind.Rebooting, $"{type} reboot");
        if (_connection is { } connection)
        {
            Forget(connection.CloseAsync("rebooting"));
        }
    }

    private ResetType? TakePendingReboot()
    {
        lock (_gate)
        {
            var reboot = _pendingReboot;
            _pendingReboot = null;
            return reboot;
        }
    }

    /// <summary>
    /// What a power cycle keeps: configuration, availability, meter registers, local list, cache, charging profiles other
    /// than TxProfiles, queued transaction messages. A Hard reset ends running transactions here; their StopTransaction
    /// (reason HardReset) is sent after the new BootNotification.
    /// </summary>
    private async Task RebootAsync(ResetType type, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var connector in _connectors.Skip(1))
            {
                EndTransaction(connector, type == ResetType.Hard ? StopReason.HardReset : StopReason.Reboot, idTag: null);
                connector.PreparedIdTag = null;
                connector.PreparedReservationId = null;
                connector.Reservation = null;
                connector.ReportedStatus = null;
            }

            _connectors[0].ReportedStatus = null;
            _bootAccepted = false;
            RegistrationStatus = null;
        }

        ChargingProfiles.RemoveTxProfiles();
        await Task.Delay(_options.RebootDuration, _time, cancellationToken);
        Raise(ChargePointEventKind.Information, "rebooted");
    }
}
