using System.Text.Json;
using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Load;

/// <summary>
/// One charger of a load run: its connection and the little state its messages need. Deliberately small (no timers,
/// no configuration store) so that tens of thousands fit in one process; the runner schedules its CALLs.
/// </summary>
internal sealed class LoadChargePoint(int index, string id)
{
    private int _busy;

    public int Index { get; } = index;

    public string Id { get; } = id;

    public OcppClientConnection? Connection { get; set; }

    /// <summary>Security profile 3: the certificate the charger presents (issued at its first connection).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The node (index into <see cref="LoadOptions.NodeUrls"/>) the charger is connected to, or connecting to.</summary>
    public int UrlIndex { get; set; }

    public int? TransactionId { get; set; }

    /// <summary>Set when the server's offline hardening reached its last call (ClearCache): the answers before it are stored.</summary>
    public TaskCompletionSource Hardened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MeterWh { get; set; } = 1_000 + index;

    /// <summary>The charger's face reader for journeys (created at its first journey).</summary>
    public BiometricReader? Reader { get; set; }

    /// <summary>Journeys started on this charger (numbers the driver's face samples).</summary>
    public int Journeys { get; set; }

    public bool IsOpen => Connection is { IsOpen: true };

    /// <summary>Claims the charger for one CALL (OCPP-J allows one outstanding CALL per connection).</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>The action actually sent for a mix entry: a Start when a transaction runs becomes a Stop, and the other way round.</summary>
    public string Resolve(string action) => action switch
    {
        "StartTransaction" when TransactionId is not null => "StopTransaction",
        "StopTransaction" when TransactionId is null => "StartTransaction",
        _ => action,
    };

    public JsonElement Payload(string action, string idTag, DateTimeOffset now)
    {
        MeterWh += 37;
        return action switch
        {
            "Heartbeat" => OcppJson.ToElement(new HeartbeatRequest()),
            "StatusNotification" => OcppJson.ToElement(new StatusNotificationRequest(1, ChargePointErrorCode.NoError,
                TransactionId is null ? ChargePointStatus.Available : ChargePointStatus.Charging, Timestamp: now)),
            "MeterValues" => OcppJson.ToElement(new MeterValuesRequest(1,
                [new MeterValue(now, [
                    new SampledValue(MeterWh.ToString(System.Globalization.CultureInfo.InvariantCulture), Measurand: Measurands.EnergyActiveImportRegister, Unit: "Wh"),
                    new SampledValue("7400", Measurand: Measurands.PowerActiveImport, Unit: "W"),
                ])],
                TransactionId)),
            "Authorize" => OcppJson.ToElement(new AuthorizeRequest(idTag)),
            "StartTransaction" => OcppJson.ToElement(new StartTransactionRequest(1, idTag, MeterWh, now)),
            "StopTransaction" => OcppJson.ToElement(new StopTransactionRequest(MeterWh, now, TransactionId ?? 0, idTag, StopReason.Local)),
            "DataTransfer" => OcppJson.ToElement(new DataTransferRequest("org.ocppauth.load", "Ping", "{}")),
            "BootNotification" => OcppJson.ToElement(new BootNotificationRequest("OcppAuth", "LoadSim", $"LOAD-{Index}", FirmwareVersion: "1.0.0")),
            _ => throw new ArgumentException($"Unsupported action {action}"),
        };
    }

    /// <summary>Keeps what the answer tells (the transactionId of a StartTransaction).</summary>
    public void OnAnswer(string action, JsonElement response)
    {
        if (action == "StartTransaction")
        {
            TransactionId = response.GetProperty("transactionId").GetInt32();
        }
        else if (action == "StopTransaction")
        {
            TransactionId = null;
        }
    }
}
