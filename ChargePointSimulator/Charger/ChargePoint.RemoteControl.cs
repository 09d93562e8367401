using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

// What the central system can ask for: each method decides the answer at once and returns the work that follows it.
public sealed partial class ChargePoint
{
    internal (AcceptedOrRejected Status, Func<CancellationToken, Task>? Then) RemoteStart(RemoteStartTransactionRequest request)
    {
        if (request.ChargingProfile is { ChargingProfilePurpose: not ChargingProfilePurpose.TxProfile })
        {
            return (AcceptedOrRejected.Rejected, null);
        }

        Connector? connector;
        lock (_gate)
        {
            connector = request.ConnectorId is { } id
                ? (id >= 1 && id < _connectors.Length ? _connectors[id] : null)
                : _connectors.Skip(1).FirstOrDefault(c => c.Transaction is null && c.PreparedIdTag is null && IsUsable(c) && c.Reservation is null && !c.Finishing);
            if (connector is null || connector.Transaction is not null || connector.PreparedIdTag is not null || !IsUsable(connector)
                || (connector.Reservation is { } reservation && reservation.IdTag != request.IdTag))
            {
                return (AcceptedOrRejected.Rejected, null);
            }

            // Claim the connector until the authorization is known.
            connector.PreparedIdTag = request.IdTag;
            RefreshStatus(connector);
        }

        return (AcceptedOrRejected.Accepted, ct => StartRemoteSessionAsync(connector, request, ct));
    }

    private async Task StartRemoteSessionAsync(Connector connector, RemoteStartTransactionRequest request, CancellationToken cancellationToken)
    {
        IdTagInfo info = Configuration.GetBool(ConfigurationKeys.AuthorizeRemoteTxRequests)
            ? await AuthorizeAsync(request.IdTag, cancellationToken)
            : new IdTagInfo(AuthorizationStatus.Accepted);
        bool plugIn;
        lock (_gate)
        {
            if (connector.PreparedIdTag != request.IdTag || connector.Transaction is not null)
            {
                return;
            }

            connector.PreparedIdTag = null;
            if (info.Status != AuthorizationStatus.Accepted)
            {
                RefreshStatus(connector);
                return;
            }

            plugIn = connector.Vehicle is null && _options.AutoPlugInOnRemoteStart;
            if (!plugIn)
            {
                Prepare(connector, request.IdTag, info.ParentIdTag, request.ChargingProfile);
                return;
            }

            connector.PreparedIdTag = request.IdTag;
            connector.PreparedReservationId = connector.Reservation?.IdTag == request.IdTag ? connector.Reservation.ReservationId : null;
            connector.PreparedProfile = request.ChargingProfile;
        }

        // The simulated driver plugs in now; the prepared session then starts.
        await PlugInAsync(connector.Id, null, cancellationToken);
    }

    internal (AcceptedOrRejected Status, Func<CancellationToken, Task>? Then) RemoteStop(int transactionId)
    {
        lock (_gate)
        {
            var connector = _connectors.Skip(1).FirstOrDefault(c => c.Transaction?.TransactionId == transactionId);
            if (connector is null)
            {
                return (AcceptedOrRejected.Rejected, null);
            }

            return (AcceptedOrRejected.Accepted, _ =>
            {
                lock (_gate)
                {
                    if (connector.Transaction?.TransactionId == transactionId)
                    {
                        EndTransaction(connector, StopReason.Remote, idTag: null);
                    }
                }

                return Task.CompletedTask;
            });
        }
    }

    internal AvailabilityStatus ChangeAvailability(int connectorId, AvailabilityType type)
    {
        lock (_gate)
        {
            if (connectorId < 0 || connectorId >= _connectors.Length)
            {
                return AvailabilityStatus.Rejected;
            }

            bool operative = type == AvailabilityType.Operative;
            var targets = connectorId == 0 ? _connectors : [_connectors[connectorId]];
            bool scheduled = false;
            foreach (var connector in targets)
            {
                if (!operative && connector.Transaction is not null)
                {
                    connector.InoperativeScheduled = true;
                    scheduled = true;
                    continue;
                }

                connector.InoperativeScheduled = false;
                connector.Operative = operative;
            }

            RefreshAllStatuses();
            return scheduled ? AvailabilityStatus.Scheduled : AvailabilityStatus.Accepted;
        }
    }

    internal UnlockStatus UnlockConnector(int connectorId)
    {
        lock (_gate)
        {
            if (connectorId < 1 || connectorId >= _connectors.Length)
            {
                return UnlockStatus.NotSupported;
            }

            EndTransaction(_connectors[connectorId], StopReason.UnlockCommand, idTag: null);
            Raise(ChargePointEventKind.Information, $"connector {connectorId} unlocked");
            return UnlockStatus.Unlocked;
        }
    }

    internal ReservationStatus ReserveNow(ReserveNowRequest request)
    {
        lock (_gate)
        {
            if (request.ConnectorId < 0 || request.ConnectorId >= _connectors.Length
                || (request.ConnectorId == 0 && !Configuration.GetBool(ConfigurationKeys.ReserveConnectorZeroSupported))
                || request.ExpiryDate <= _time.GetUtcNow())
            {
                return ReservationStatus.Rejected;
            }

            var connector = _connectors[request.ConnectorId];
            if (connector.ErrorCode != ChargePointErrorCode.NoError)
            {
                return ReservationStatus.Faulted;
            }

            if (!connector.Operative || !_connectors[0].Operative)
            {
                return ReservationStatus.Unavailable;
            }

            if (connector.Transaction is not null || connector.Vehicle is not null || connector.PreparedIdTag is not null
                || (connector.Reservation is { } other && other.ReservationId != request.ReservationId))
            {
                return ReservationStatus.Occupied;
            }

            foreach (var c in _connectors.Where(c => c.Reservation?.ReservationId == request.ReservationId))
            {
                c.Reservation = null;
                RefreshStatus(c);
            }

            var reservation = new Reservation(request.ReservationId, request.ConnectorId, request.IdTag, request.ParentIdTag, request.ExpiryDate);
            connector.Reservation = reservation;
            Raise(ChargePointEventKind.Reservation, $"reservation {reservation.ReservationId} on connector {connector.Id} for {reservation.IdTag} until {reservation.ExpiryDate:O}");
            RefreshStatus(connector);
            _ = ExpireReservationAsync(connector, reservation);
            return ReservationStatus.Accepted;
        }
    }

    private async Task ExpireReservationAsync(Connector connector, Reservation reservation)
    {
        try
        {
            await Task.Delay(reservation.ExpiryDate - _time.GetUtcNow(), _time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (connector.Reservation == reservation)
            {
                connector.Reservation = null;
                Raise(ChargePointEventKind.Reservation, $"reservation {reservation.ReservationId} expired");
                RefreshStatus(connector);
            }
        }
    }

    internal AcceptedOrRejected CancelReservation(int reservationId)
    {
        lock (_gate)
        {
            var connector = _connectors.FirstOrDefault(c => c.Reservation?.ReservationId == reservationId);
            if (connector is null)
            {
                return AcceptedOrRejected.Rejected;
            }

            connector.Reservation = null;
            Raise(ChargePointEventKind.Reservation, $"reservation {reservationId} cancelled");
            RefreshStatus(connector);
            return AcceptedOrRejected.Accepted;
        }
    }

    internal ChargingProfileStatus SetChargingProfile(int connectorId, ChargingProfile profile)
    {
        if (connectorId < 0 || connectorId >= _connectors.Length)
        {
            return ChargingProfileStatus.Rejected;
        }

        int? transactionId;
        lock (_gate)
        {
            transactionId = _connectors[connectorId].Transaction?.TransactionId;
        }

        var status = ChargingProfiles.Install(connectorId, profile, transactionId, ProfileLimits());
        if (status == ChargingProfileStatus.Accepted)
        {
            UpdatePowerEverywhere();
        }

        return status;
    }

    internal ClearChargingProfileStatus ClearChargingProfile(ClearChargingProfileRequest request)
    {
        int removed = ChargingProfiles.Clear(request);
        UpdatePowerEverywhere();
        return removed > 0 ? ClearChargingProfileStatus.Accepted : ClearChargingProfileStatus.Unknown;
    }

    internal GetCompositeScheduleResponse CompositeSchedule(GetCompositeScheduleRequest request)
    {
        if (request.ConnectorId < 0 || request.ConnectorId >= _connectors.Length || request.Duration <= 0)
        {
            return new GetCompositeScheduleResponse(AcceptedOrRejected.Rejected);
        }

        DateTimeOffset? transactionStart;
        lock (_gate)
        {
            transactionStart = _connectors[request.ConnectorId].Transaction?.StartedAt;
        }

        var now = _time.GetUtcNow();
        double maximum = _supply.ToWatts(_options.MaxCurrentAmps, ChargingRateUnit.A) * (request.ConnectorId == 0 ? _connectors.Length - 1 : 1);
        var schedule = ChargingProfiles.Composite(
            request.ConnectorId, now, request.Duration, request.ChargingRateUnit ?? ChargingRateUnit.A, transactionStart, _supply, maximum);
        return new GetCompositeScheduleResponse(AcceptedOrRejected.Accepted, request.ConnectorId, now, schedule);
    }

    internal ChargingProfileLimits ProfileLimits() => new(
        Configuration.GetInt(ConfigurationKeys.ChargeProfileMaxStackLevel),
        Configuration.GetInt(ConfigurationKeys.ChargingScheduleMaxPeriods),
        Configuration.GetInt(ConfigurationKeys.MaxChargingProfilesInstalled),
        Configuration.GetList(ConfigurationKeys.ChargingScheduleAllowedChargingRateUnit));

    internal UpdateStatus SendLocalList(SendLocalListRequest request)
    {
        if (!Configuration.GetBool(ConfigurationKeys.LocalAuthListEnabled))
        {
            return UpdateStatus.NotSupported;
        }

        if ((request.LocalAuthorizationList?.Count ?? 0) > Configuration.GetInt(ConfigurationKeys.SendLocalListMaxLength))
        {
            return UpdateStatus.Failed;
        }

        return LocalList.Apply(request, Configuration.GetInt(ConfigurationKeys.LocalAuthListMaxLength));
    }

    internal int LocalListVersion() => Configuration.GetBool(ConfigurationKeys.LocalAuthListEnabled) ? LocalList.Version : -1;

    /// <summary>TriggerMessage: Rejected for a connector that does not exist, otherwise Accepted and the message follows.</summary>
    internal (TriggerMessageStatus Status, Func<CancellationToken, Task>? Then) Trigger(TriggerMessageRequest request)
    {
        if (request.ConnectorId is { } id && (id < 0 || id >= _connectors.Length))
        {
            return (TriggerMessageStatus.Rejected, null);
        }

        return (TriggerMessageStatus.Accepted, _ =>
        {
            SendTriggered(request.RequestedMessage, request.ConnectorId);
            return Task.CompletedTask;
        });
    }

    private void SendTriggered(MessageTrigger message, int? connectorId)
    {
        switch (message)
        {
            case MessageTrigger.BootNotification when !_bootAccepted:
                _bootNow.Set();
                break;
            case MessageTrigger.BootNotification:
                Forget(Send("BootNotification", BootRequest(), onAnswered: r => LastServerTime = OcppJson.Deserialize<BootNotificationResponse>(r).CurrentTime));
                break;
            case MessageTrigger.Heartbeat:
                SendHeartbeat();
                break;
            case MessageTrigger.FirmwareStatusNotification:
                Forget(Send("FirmwareStatusNotification", new FirmwareStatusNotificationRequest(FirmwareStatus)));
                break;
            case MessageTrigger.DiagnosticsStatusNotification:
                Forget(Send("DiagnosticsStatusNotification", new DiagnosticsStatusNotificationRequest(DiagnosticsStatus)));
                break;
            case MessageTrigger.StatusNotification:
                lock (_gate)
                {
                    foreach (var connector in _connectors.Where(c => connectorId is null || c.Id == connectorId))
                    {
                        var status = StatusOf(connector);
                        connector.ReportedStatus = status;
                        QueueStatus(connector, status);
                    }
                }

                break;
            case MessageTrigger.MeterValues:
                lock (_gate)
                {
                    foreach (var connector in _connectors.Skip(1).Where(c => connectorId is null or 0 || c.Id == connectorId))
                    {
                        UpdatePower(connector);
                        QueueMeterValues(connector, ReadingContexts.Trigger, Configuration.GetList(ConfigurationKeys.MeterValuesSampledData));
                    }
                }

                break;
        }
    }

    /// <summary>
    /// ExtendedTriggerMessage (OCPP 1.6 security whitepaper): as TriggerMessage, plus SignChargePointCertificate (a new key
    /// pair and SignCertificate: OCA TC_074), LogStatusNotification and FirmwareStatusNotification (the signed update's
    /// SignedFirmwareStatusNotification).
    /// </summary>
    internal (TriggerMessageStatus Status, Func<CancellationToken, Task>? Then) ExtendedTrigger(ExtendedTriggerMessageRequest request)
    {
        if (request.ConnectorId is { } id && (id < 0 || id >= _connectors.Length))
        {
            return (TriggerMessageStatus.Rejected, null);
        }

        return (TriggerMessageStatus.Accepted, ct =>
        {
            switch (request.RequestedMessage)
            {
                case ExtendedMessageTrigger.SignChargePointCertificate:
                    Forget(RequestCertificateAsync(_stopping));
                    break;
                case ExtendedMessageTrigger.LogStatusNotification:
                    Forget(Send("LogStatusNotification", new LogStatusNotificationRequest(LogUploadStatus, LogUploadStatus == UploadLogStatus.Idle ? null : LogRequestId)));
                    break;
                case ExtendedMessageTrigger.FirmwareStatusNotification:
                    Forget(Send("SignedFirmwareStatusNotification", new SignedFirmwareStatusNotificationRequest(
                        SignedFirmwareStatus, SignedFirmwareStatus == SignedFirmwareStatus.Idle ? null : SignedFirmwareRequestId)));
                    break;
                default:
                    SendTriggered(Enum.Parse<MessageTrigger>(request.RequestedMessage.ToString()), request.ConnectorId);
                    break;
            }

            return Task.CompletedTask;
        });
    }
}
