using System.Text.Json;
using ChargePointSimulator.Charger.Handlers;
using ChargePointSimulator.Ocpp;
using ChargePointSimulator.Timing;
using Microsoft.Extensions.Logging;

namespace ChargePointSimulator.Charger;

/// <summary>
/// A simulated OCPP 1.6J charge point that behaves like real firmware: it connects (with back-off), boots, sends
/// heartbeats and status notifications, runs transactions with meter values, answers every central-system request,
/// and keeps transaction messages queued while off line. All time comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class ChargePoint
{
    private readonly ChargePointOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Connector[] _connectors;
    private readonly Outbox _outbox;
    private readonly ServerCallDispatcher _dispatcher;
    private readonly IReadOnlyList<IVehiclePlugInHook> _plugInHooks;
    private readonly AsyncSignal _heartbeatChanged = new();
    private readonly AsyncSignal _bootNow = new();
    private readonly AsyncSignal _networkRestored = new();
    private readonly SupplyCharacteristics _supply;
    private OcppClientConnection? _connection;
    private bool _bootAccepted;
    private bool _reportInstalledAfterBoot;
    private bool _networkUp = true;
    private ResetType? _pendingReboot;
    private int _nextLocalTransactionId;
    private CancellationToken _stopping;

    public ChargePoint(
        ChargePointOptions options,
        TimeProvider time,
        ILogger<ChargePoint> logger,
        IEnumerable<IVehiclePlugInHook>? plugInHooks = null,
        IEnumerable<IDataTransferHandler>? dataTransferHandlers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Connectors, 1);
        _options = options;
        _time = time;
        _logger = logger;
        _random = new Random(options.Seed ?? StableHash(options.Id));
        _supply = new SupplyCharacteristics(options.NominalVoltage, options.Phases);
        _connectors = Enumerable.Range(0, options.Connectors + 1)
            .Select(i => new Connector(i, new EnergyMeter(i == 0 ? 0 : _random.Next(1_000, 5_000_000), options.NominalVoltage, options.Phases, _random)))
            .ToArray();
        _outbox = new Outbox(options.OfflineQueueCapacity);
        _plugInHooks = plugInHooks?.ToList() ?? [];
        _dispatcher = new ServerCallDispatcher(this, dataTransferHandlers ?? []);
        Configuration = new ConfigurationStore(ConfigurationKeys.Standard(options.Connectors), options.Configuration);
        Configuration.Changed += OnConfigurationChanged;
        FirmwareVersion = options.FirmwareVersion;
        _securityProfile = InitialSecurityProfile(options);
        if (options.TrustedServerRoots is { } roots)
        {
            _installed.AddTrusted(CertificateUse.CentralSystemRootCertificate, roots);
        }
    }

    /// <summary>Raised for everything the charger does; handlers must be quick and must not throw.</summary>
    public event Action<ChargePointEvent>? EventRaised;

    public string Id => _options.Id;

    public ConfigurationStore Configuration { get; }

    public AuthorizationCache AuthorizationCache { get; } = new();

    public LocalAuthorizationList LocalList { get; } = new();

    public ChargingProfileStore ChargingProfiles { get; } = new();

    public TimeProvider Time => _time;

    /// <summary>The central system endpoint (without the identity); may be changed while running, e.g. after a server moved.</summary>
    public Uri CentralSystem
    {
        get => _options.CentralSystem;
        set => _options.CentralSystem = value;
    }

    public bool IsConnected => _connection is { IsOpen: true };

    /// <summary>Connected and accepted: messages flow.</summary>
    public bool IsOnline => _outbox.Online;

    public RegistrationStatus? RegistrationStatus { get; private set; }

    /// <summary>BootNotifications answered Accepted since the simulator started (one per power-up or reboot).</summary>
    public int AcceptedBoots { get; private set; }

    public int Reconnects { get; private set; }

    public int QueuedMessages => _outbox.Count;

    public string FirmwareVersion { get; private set; }

    public FirmwareStatus FirmwareStatus { get; private set; } = FirmwareStatus.Idle;

    public DiagnosticsStatus DiagnosticsStatus { get; private set; } = DiagnosticsStatus.Idle;

    public DateTimeOffset? LastServerTime { get; private set; }

    public int ConnectorCount => _connectors.Length - 1;

    /// <summary>Connects, boots and serves until <paramref name="cancellationToken"/> is cancelled, reconnecting with back-off.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay, _random);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await WaitForNetworkAsync(cancellationToken);
                var endpoint = OcppConnectionOptions.EndpointFor(_options.CentralSystem, Id);
                Raise(ChargePointEventKind.Connecting, endpoint.ToString());
                OcppClientConnection connection;
                try
                {
                    connection = await OcppClientConnection.ConnectAsync(endpoint, Id, ConnectionOptions(), _dispatcher, _time, _logger, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    var delay = backoff.Next();
                    Raise(ChargePointEventKind.ConnectFailed, $"{ex.Message}; retrying in {delay.TotalSeconds:0.0} s");
                    await Task.Delay(delay, _time, cancellationToken);
                    continue;
                }

                backoff.Reset();
                await using (connection)
                {
                    await RunConnectionAsync(connection, cancellationToken);
                }

                if (TakePendingReboot() is { } reboot)
                {
                    await RebootAsync(reboot, cancellationToken);
                }
                else if (!cancellationToken.IsCancellationRequested)
                {
                    Reconnects++;
                    await Task.Delay(backoff.Next(), _time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Simulates a network outage: the socket drops and no reconnection is tried until <see cref="RestoreNetwork"/>.</summary>
    public void CutNetwork()
    {
        lock (_gate)
        {
            _networkUp = false;
        }

        _connection?.Abort("network cut");
    }

    public void RestoreNetwork()
    {
        lock (_gate)
        {
            _networkUp = true;
        }

        _networkRestored.Set();
    }

    /// <summary>Drops the socket like a flaky link; the charger reconnects with back-off.</summary>
    public void DropConnection() => _connection?.Abort("connection dropped");

    /// <summary>Sends a DataTransfer (e.g. a vendor extension) and returns the answer.</summary>
    public async Task<DataTransferResponse> DataTransferAsync(string vendorId, string? messageId, string? data, CancellationToken cancellationToken)
    {
        var response = await Send("DataTransfer", new DataTransferRequest(vendorId, messageId, data)).WaitAsync(cancellationToken);
        return OcppJson.Deserialize<DataTransferResponse>(response);
    }

    public IReadOnlyList<ConnectorSnapshot> Connectors()
    {
        lock (_gate)
        {
            return _connectors.Skip(1).Select(c => new ConnectorSnapshot(
                c.Id, StatusOf(c), c.Vehicle is not null, c.Transaction?.TransactionId, c.Transaction?.IdTag, c.Meter.RegisterWhRounded,
                c.Meter.PowerW, c.Vehicle?.StateOfChargePercent, c.Reservation?.ReservationId)).ToList();
        }
    }

    private async Task WaitForNetworkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_networkUp)
                {
                    return;
                }
            }

            await _networkRestored.WaitAsync(TimeSpan.FromSeconds(1), _time, cancellationToken);
        }
    }

    private async Task RunConnectionAsync(OcppClientConnection connection, CancellationToken cancellationToken)
    {
        _connection = connection;
        Raise(ChargePointEventKind.Connected, OcppConnectionOptions.EndpointFor(_options.CentralSystem, Id).ToString());
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] loops = [];
        try
        {
            if (!_bootAccepted && !await BootAsync(connection, session.Token))
            {
                return;
            }

            _outbox.SetOnline(true);
            ReportFirmwareInstalled();
            ReportAllStatuses();
            loops = [SendLoopAsync(connection, session.Token), HeartbeatLoopAsync(session.Token), ClockAlignedLoopAsync(session.Token)];
            await connection.Closed.WaitAsync(cancellationToken);
        }
        catch (OcppNotConnectedException)
        {
            // Lost during the boot: reconnect.
        }
        catch (Exception ex) when (ex is OcppCallErrorException or OcppCallTimeoutException)
        {
            // The BootNotification was answered with a CALLERROR or not at all: drop the connection and try again
            // after the reconnect back-off instead of giving up.
            Raise(ChargePointEventKind.CallFailed, $"BootNotification: {ex.Message}; reconnecting");
        }
        finally
        {
            _outbox.SetOnline(false);
            _connection = null;
            await session.CancelAsync();
            await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            string reason = connection.Closed.IsCompleted ? await connection.Closed : "stopping";
            Raise(ChargePointEventKind.Disconnected, reason);
        }
    }

    /// <summary>
    /// The BootNotification payload. Serial numbers are CiString25 in OCPP 1.6: those derived from a long identity keep
    /// its last characters, so any identity the server accepts (up to 48 characters) can boot.
    /// </summary>
    private BootNotificationRequest BootRequest() => new(
        _options.Vendor, _options.Model, _options.SerialNumber ?? Fit25("SIM-", Id), null, FirmwareVersion,
        MeterType: _options.MeterType, MeterSerialNumber: Fit25("M-", Id));

    private static string Fit25(string prefix, string id) => prefix + (prefix.Length + id.Length <= 25 ? id : id[^(25 - prefix.Length)..]);

    /// <summary>BootNotification until Accepted; Pending/Rejected retry after the interval (or when triggered).</summary>
    private async Task<bool> BootAsync(OcppClientConnection connection, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var request = BootRequest();
            var answer = OcppJson.Deserialize<BootNotificationResponse>(
                await connection.CallAsync("BootNotification", OcppJson.ToElement(request), _options.CallTimeout, cancellationToken));
            RegistrationStatus = answer.Status;
            LastServerTime = answer.CurrentTime;
            if (answer.Status == Ocpp.RegistrationStatus.Accepted)
            {
                if (answer.Interval > 0)
                {
                    Configuration.Change(ConfigurationKeys.HeartbeatInterval, answer.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                _bootAccepted = true;
                AcceptedBoots++;
                Raise(ChargePointEventKind.BootAccepted, $"heartbeat interval {answer.Interval} s, server time {answer.CurrentTime:O}");
                return true;
            }

            var retry = answer.Interval > 0 ? TimeSpan.FromSeconds(answer.Interval) : _options.BootRetryFallback;
            Raise(answer.Status == Ocpp.RegistrationStatus.Pending ? ChargePointEventKind.BootPending : ChargePointEventKind.BootRejected,
                $"retrying in {retry.TotalSeconds:0} s");
            var woken = _bootNow.WaitAsync(retry, _time, cancellationToken);
            await Task.WhenAny(woken, connection.Closed);
            if (connection.Closed.IsCompleted)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Sends the queued CALLs one at a time; transaction messages are retried per TransactionMessageAttempts.</summary>
    private async Task SendLoopAsync(OcppClientConnection connection, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = await _outbox.PeekAsync(cancellationToken);
            JsonElement payload;
            try
            {
                payload = message.BuildPayload();
            }
            catch (Exception ex) when (ex is InvalidOperationException or JsonException)
            {
                _outbox.Remove(message);
                message.Fail(ex);
                Raise(ChargePointEventKind.CallFailed, $"{message.Action} dropped: {ex.Message}");
                continue;
            }

            message.Attempts++;
            try
            {
                var response = await connection.CallAsync(message.Action, payload, _options.CallTimeout, cancellationToken);
                _outbox.Remove(message);
                message.Complete(response);
                Raise(ChargePointEventKind.CallSent, $"{message.Action} {Shorten(payload)} -> {Shorten(response)}");
            }
            catch (Exception ex) when (ex is OcppCallErrorException or OcppCallTimeoutException)
            {
                int attempts = Math.Max(1, Configuration.GetInt(ConfigurationKeys.TransactionMessageAttempts));
                if (message.Transactional && message.Attempts < attempts)
                {
                    Raise(ChargePointEventKind.CallFailed, $"{message.Action} attempt {message.Attempts}: {ex.Message}; retrying");
                    await Task.Delay(Configuration.GetSeconds(ConfigurationKeys.TransactionMessageRetryInterval) * message.Attempts, _time, cancellationToken);
                    continue;
                }

                _outbox.Remove(message);
                message.Fail(ex);
                Raise(ChargePointEventKind.CallFailed, $"{message.Action}: {ex.Message}");
            }
            catch (OcppNotConnectedException)
            {
                return;
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var interval = Configuration.GetSeconds(ConfigurationKeys.HeartbeatInterval);
            if (await _heartbeatChanged.WaitAsync(interval > TimeSpan.Zero ? interval : Timeout.InfiniteTimeSpan, _time, cancellationToken))
            {
                continue;
            }

            SendHeartbeat();
        }
    }

    private void SendHeartbeat() =>
        Forget(Send("Heartbeat", new HeartbeatRequest(), onAnswered: r => LastServerTime = OcppJson.Deserialize<HeartbeatResponse>(r).CurrentTime));

    private void OnConfigurationChanged(string key, string value)
    {
        if (key == ConfigurationKeys.HeartbeatInterval)
        {
            _heartbeatChanged.Set();
        }

        Raise(ChargePointEventKind.ConfigurationChanged, $"{key} = {value}");
    }

    /// <summary>Queues a CALL; it is sent when the charger is on line (transaction messages survive being off line).</summary>
    internal Task<JsonElement> Send<T>(string action, T request, bool transactional = false, Action<JsonElement>? onAnswered = null) =>
        Send(action, () => OcppJson.ToElement(request), transactional, onAnswered);

    internal Task<JsonElement> Send(string action, Func<JsonElement> payload, bool transactional, Action<JsonElement>? onAnswered) =>
        _outbox.Enqueue(new OutboundMessage(action, payload, transactional) { OnAnswered = onAnswered });

    /// <summary>Observes a send whose answer nobody waits for.</summary>
    internal void Forget(Task task) =>
        task.ContinueWith(
            t => _logger.LogDebug("{ChargePointId}: {Reason}", Id, t.Exception?.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    internal void Raise(ChargePointEventKind kind, string description)
    {
        var e = new ChargePointEvent(_time.GetUtcNow(), Id, kind, description);
        _logger.LogDebug("{Event}", e);
        try
        {
            EventRaised?.Invoke(e);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "An event handler of {ChargePointId} failed", Id);
        }
    }

    private static string Shorten(JsonElement json)
    {
        string text = json.GetRawText();
        return text.Length <= 160 ? text : text[..157] + "...";
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            int hash = (int)2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}
