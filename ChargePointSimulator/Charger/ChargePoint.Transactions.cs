using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>What happened when a driver presented an idTag.</summary>
public enum IdTagOutcome { Started, Prepared, Stopped, Refused, ConnectorUnavailable }

public sealed partial class ChargePoint
{
    /// <summary>The driver plugs a vehicle in. A session authorized before plugging in starts now.</summary>
    public async Task PlugInAsync(int connectorId, IVehicle? vehicle = null, CancellationToken cancellationToken = default)
    {
        vehicle ??= _options.VehicleFactory(connectorId);
        lock (_gate)
        {
            var connector = Connector(connectorId);
            if (connector.Vehicle is not null)
            {
                throw new InvalidOperationException($"Connector {connectorId} already has a vehicle");
            }

            connector.Vehicle = vehicle;
            connector.Finishing = false;
            Raise(ChargePointEventKind.Information, $"vehicle plugged into connector {connectorId}" + (vehicle.Vin is null ? "" : $" (VIN {vehicle.Vin})"));
            RefreshStatus(connector);
        }

        foreach (var hook in _plugInHooks)
        {
            await hook.OnPluggedInAsync(this, connectorId, vehicle, cancellationToken);
        }

        lock (_gate)
        {
            var connector = Connector(connectorId);
            if (connector.PreparedIdTag is { } idTag && connector.Transaction is null && connector.Vehicle == vehicle)
            {
                BeginTransaction(connector, idTag, connector.PreparedReservationId, parentIdTag: null, connector.PreparedProfile);
            }
        }
    }

    /// <summary>The driver pulls the cable. A running transaction stops (EVDisconnected) when StopTransactionOnEVSideDisconnect.</summary>
    public void Unplug(int connectorId)
    {
        lock (_gate)
        {
            var connector = Connector(connectorId);
            if (connector.Vehicle is null)
            {
                return;
            }

            if (connector.Transaction is not null && Configuration.GetBool(ConfigurationKeys.StopTransactionOnEVSideDisconnect))
            {
                EndTransaction(connector, StopReason.EVDisconnected, idTag: null);
            }

            connector.Vehicle = null;
            connector.Finishing = false;
            UpdatePower(connector);
            Raise(ChargePointEventKind.Information, $"vehicle unplugged from connector {connectorId}");
            RefreshStatus(connector);
        }
    }

    /// <summary>
    /// The driver presents an idTag (RFID card) at a connector: stops the transaction it started, or authorizes and
    /// starts (at once when a vehicle is plugged in, else when one is plugged in within ConnectionTimeOut).
    /// </summary>
    public async Task<IdTagOutcome> PresentIdTagAsync(int connectorId, string idTag, CancellationToken cancellationToken = default)
    {
        Transaction? running;
        lock (_gate)
        {
            var connector = Connector(connectorId);
            running = connector.Transaction;
            if (running is not null && running.IdTag == idTag)
            {
                EndTransaction(connector, StopReason.Local, idTag);
                return IdTagOutcome.Stopped;
            }

            if (running is null && !IsUsable(connector))
            {
                return IdTagOutcome.ConnectorUnavailable;
            }
        }

        var info = await AuthorizeAsync(idTag, cancellationToken);
        if (info.Status != AuthorizationStatus.Accepted)
        {
            return IdTagOutcome.Refused;
        }

        lock (_gate)
        {
            var connector = Connector(connectorId);
            if (running is not null)
            {
                // Another card of the same group may stop the transaction.
                if (connector.Transaction == running && info.ParentIdTag is not null && info.ParentIdTag == running.ParentIdTag)
                {
                    EndTransaction(connector, StopReason.Local, idTag);
                    return IdTagOutcome.Stopped;
                }

                return IdTagOutcome.Refused;
            }

            return Prepare(connector, idTag, info.ParentIdTag, requestedProfile: null);
        }
    }

    /// <summary>Stops the transaction on a connector (e.g. the driver presses stop), reason Local by default.</summary>
    public bool StopTransaction(int connectorId, StopReason reason = StopReason.Local)
    {
        lock (_gate)
        {
            return EndTransaction(Connector(connectorId), reason, idTag: null);
        }
    }

    /// <summary>Authorized for this connector: start now or wait for the cable. Caller holds the lock.</summary>
    private IdTagOutcome Prepare(Connector connector, string idTag, string? parentIdTag, ChargingProfile? requestedProfile)
    {
        if (connector.Transaction is not null || !IsUsable(connector))
        {
            return IdTagOutcome.ConnectorUnavailable;
        }

        int? reservationId = null;
        if (connector.Reservation is { } reservation)
        {
            if (reservation.IdTag != idTag && (reservation.ParentIdTag is null || reservation.ParentIdTag != parentIdTag))
            {
                return IdTagOutcome.ConnectorUnavailable;
            }

            reservationId = reservation.ReservationId;
        }

        if (connector.Vehicle is not null)
        {
            BeginTransaction(connector, idTag, reservationId, parentIdTag, requestedProfile);
            return IdTagOutcome.Started;
        }

        connector.PreparedIdTag = idTag;
        connector.PreparedReservationId = reservationId;
        connector.PreparedProfile = requestedProfile;
        RefreshStatus(connector);
        _ = ExpirePreparationAsync(connector, idTag);
        return IdTagOutcome.Prepared;
    }

    private async Task ExpirePreparationAsync(Connector connector, string idTag)
    {
        try
        {
            await Task.Delay(Configuration.GetSeconds(ConfigurationKeys.ConnectionTimeOut), _time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (connector.PreparedIdTag == idTag && connector.Transaction is null)
            {
                connector.PreparedIdTag = null;
                connector.PreparedReservationId = null;
                Raise(ChargePointEventKind.Information, $"connector {connector.Id}: no cable within ConnectionTimeOut, session cancelled");
                RefreshStatus(connector);
            }
        }
    }

    /// <summary>Whether a new session may start on the connector. Caller holds the lock.</summary>
    private bool IsUsable(Connector connector) =>
        connector.Id > 0 && connector.Operative && _connectors[0].Operative && connector.ErrorCode == ChargePointErrorCode.NoError
        && !connector.InoperativeScheduled;

    /// <summary>Starts a transaction and queues StartTransaction. Caller holds the lock.</summary>
    private void BeginTransaction(Connector connector, string idTag, int? reservationId, string? parentIdTag, ChargingProfile? requestedProfile)
    {
        var now = _time.GetUtcNow();
        UpdatePower(connector);
        var transaction = new Transaction(++_nextLocalTransactionId, connector.Id, idTag, connector.Meter.RegisterWhRounded, now, reservationId)
        {
            ParentIdTag = parentIdTag,
            RequestedProfile = requestedProfile,
        };
        connector.Transaction = transaction;
        connector.PreparedIdTag = null;
        connector.PreparedReservationId = null;
        connector.PreparedProfile = null;
        connector.Finishing = false;
        if (reservationId is not null)
        {
            connector.Reservation = null;
        }

        UpdatePower(connector);
        AddTransactionData(connector, transaction, ReadingContexts.TransactionBegin);
        var request = new StartTransactionRequest(connector.Id, idTag, transaction.MeterStart, now, reservationId);
        Forget(Send("StartTransaction", request, transactional: true, onAnswered: r => OnTransactionStarted(transaction, OcppJson.Deserialize<StartTransactionResponse>(r))));
        Raise(ChargePointEventKind.TransactionStarted, $"connector {connector.Id}, idTag {idTag}, meterStart {transaction.MeterStart} Wh");
        RefreshStatus(connector);
        _ = SampleLoopAsync(connector, transaction);
    }

    private void OnTransactionStarted(Transaction transaction, StartTransactionResponse answer)
    {
        CacheIdTagInfo(transaction.IdTag, answer.IdTagInfo);
        lock (_gate)
        {
            transaction.TransactionId = answer.TransactionId;
            transaction.ParentIdTag ??= answer.IdTagInfo.ParentIdTag;
            Raise(ChargePointEventKind.Information, $"transaction {answer.TransactionId} {answer.IdTagInfo.Status} for idTag {transaction.IdTag}");
            var connector = _connectors[transaction.ConnectorId];
            if (connector.Transaction != transaction)
            {
                return;
            }

            if (answer.IdTagInfo.Status != AuthorizationStatus.Accepted && Configuration.GetBool(ConfigurationKeys.StopTransactionOnInvalidId))
            {
                EndTransaction(connector, StopReason.DeAuthorized, idTag: null);
                return;
            }

            if (transaction.RequestedProfile is { } profile)
            {
                ChargingProfiles.Install(connector.Id, profile with { TransactionId = answer.TransactionId }, answer.TransactionId, ProfileLimits());
                UpdatePower(connector);
                RefreshStatus(connector);
            }
        }
    }

    /// <summary>Ends the transaction on the connector and queues StopTransaction with its transactionData. Caller holds the lock.</summary>
    private bool EndTransaction(Connector connector, StopReason reason, string? idTag)
    {
        if (connector.Transaction is not { } transaction)
        {
            return false;
        }

        transaction.Sampling.Cancel();
        UpdatePower(connector);
        AddTransactionData(connector, transaction, ReadingContexts.TransactionEnd);
        connector.Transaction = null;
        connector.Finishing = connector.Vehicle is not null;
        UpdatePower(connector);
        ChargingProfiles.RemoveTxProfiles(connector.Id);
        var now = _time.GetUtcNow();
        int meterStop = connector.Meter.RegisterWhRounded;
        var data = transaction.TransactionData.ToList();
        Forget(Send(
            "StopTransaction",
            () => OcppJson.ToElement(new StopTransactionRequest(
                meterStop, now,
                transaction.TransactionId ?? throw new InvalidOperationException("its StartTransaction was never answered"),
                idTag, reason, data.Count > 0 ? data : null)),
            transactional: true,
            onAnswered: r =>
            {
                if (idTag is not null && OcppJson.Deserialize<StopTransactionResponse>(r).IdTagInfo is { } info)
                {
                    CacheIdTagInfo(idTag, info);
                }
            }));
        Raise(ChargePointEventKind.TransactionStopped,
            $"connector {connector.Id}, transaction {transaction.TransactionId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(pending)"}, " +
            $"reason {reason}, {meterStop - transaction.MeterStart} Wh");
        if (connector.InoperativeScheduled)
        {
            connector.InoperativeScheduled = false;
            connector.Operative = false;
        }

        RefreshStatus(connector);
        if (_options.AutoUnplugAfterStop is { } delay && connector.Vehicle is { } vehicle)
        {
            _ = AutoUnplugAsync(connector.Id, vehicle, delay);
        }

        return true;
    }

    private async Task AutoUnplugAsync(int connectorId, IVehicle vehicle, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (Connector(connectorId).Vehicle != vehicle || Connector(connectorId).Transaction is not null)
            {
                return;
            }
        }

        Unplug(connectorId);
    }

    /// <summary>MeterValues every MeterValueSampleInterval while the transaction runs (transaction messages: queued off line).</summary>
    private async Task SampleLoopAsync(Connector connector, Transaction transaction)
    {
        var token = transaction.Sampling.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var interval = Configuration.GetSeconds(ConfigurationKeys.MeterValueSampleInterval);
                await Task.Delay(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(60), _time, token);
                lock (_gate)
                {
                    if (connector.Transaction != transaction)
                    {
                        return;
                    }

                    UpdatePower(connector);
                    RefreshStatus(connector);
                    if (interval > TimeSpan.Zero)
                    {
                        QueueMeterValues(connector, ReadingContexts.SamplePeriodic, Configuration.GetList(ConfigurationKeys.MeterValuesSampledData));
                        AddTransactionData(connector, transaction, ReadingContexts.SamplePeriodic);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The transaction ended.
        }
    }

    /// <summary>Clock-aligned MeterValues every ClockAlignedDataInterval, aligned to midnight (OCPP 1.6 §3.16.1).</summary>
    private async Task ClockAlignedLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            int seconds = Configuration.GetInt(ConfigurationKeys.ClockAlignedDataInterval);
            if (seconds <= 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _time, cancellationToken);
                continue;
            }

            var now = _time.GetUtcNow();
            double sinceMidnight = (now - new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero)).TotalSeconds;
            var wait = TimeSpan.FromSeconds(seconds - sinceMidnight % seconds);
            await Task.Delay(wait, _time, cancellationToken);
            lock (_gate)
            {
                foreach (var connector in _connectors.Skip(1))
                {
                    UpdatePower(connector);
                    QueueMeterValues(connector, ReadingContexts.SampleClock, Configuration.GetList(ConfigurationKeys.MeterValuesAlignedData));
                }
            }
        }
    }

    /// <summary>Queues MeterValues of the connector (with its transactionId when a transaction runs). Caller holds the lock.</summary>
    private void QueueMeterValues(Connector connector, string context, IReadOnlyList<string> measurands)
    {
        var sample = connector.Meter.Sample(_time.GetUtcNow(), measurands, context, connector.Vehicle);
        if (sample.SampledValue.Count == 0)
        {
            return;
        }

        var transaction = connector.Transaction;
        Forget(Send(
            "MeterValues",
            () => OcppJson.ToElement(new MeterValuesRequest(connector.Id, [sample], transaction?.TransactionId)),
            transactional: transaction is not null,
            onAnswered: null));
    }

    /// <summary>Keeps a StopTxnSampledData sample for the StopTransaction (bounded). Caller holds the lock.</summary>
    private void AddTransactionData(Connector connector, Transaction transaction, string context)
    {
        var sample = connector.Meter.Sample(_time.GetUtcNow(), Configuration.GetList(ConfigurationKeys.StopTxnSampledData), context, connector.Vehicle);
        if (sample.SampledValue.Count > 0 && transaction.TransactionData.Count < 200)
        {
            transaction.TransactionData.Add(sample);
        }
    }

    private Connector Connector(int connectorId) =>
        connectorId >= 1 && connectorId < _connectors.Length
            ? _connectors[connectorId]
            : throw new ArgumentOutOfRangeException(nameof(connectorId), connectorId, $"Connectors are 1 to {_connectors.Length - 1}");
}
