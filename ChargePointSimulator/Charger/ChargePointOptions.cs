namespace ChargePointSimulator.Charger;

/// <summary>What a simulated charge point is and how it behaves.</summary>
public sealed class ChargePointOptions
{
    /// <summary>The charge point identity (last path segment of the OCPP URL, user name of Basic auth).</summary>
    public required string Id { get; set; }

    /// <summary>The central system's OCPP endpoint without the identity, e.g. ws://127.0.0.1:8180/ocpp.</summary>
    public required Uri CentralSystem { get; set; }

    /// <summary>The AuthorizationKey sent as HTTP Basic password (security profiles 1 and 2); null connects without Basic auth.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The charger's SecurityProfile (OCPP 1.6 security whitepaper): 3 connects with <see cref="ClientCertificate"/> and no
    /// password, 1 and 2 with <see cref="Password"/> (2 only over wss://). Null: 3 with a client certificate over wss://,
    /// else 2 over wss://, 1 with a password, 0 without.
    /// </summary>
    public int? SecurityProfile { get; set; }

    /// <summary>The client certificate with its key (security profile 3).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Where <see cref="ClientCertificate"/> was read from: a certificate the central system signs for the charger is written there (and its key to <see cref="ClientKeyPath"/>, or after the certificate when that is unset).</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientKeyPath { get; set; }

    /// <summary>The subject O of the charger's certificate signing requests (the whitepaper's CpoName); null: CN only.</summary>
    public string? CpoName { get; set; }

    /// <summary>The roots trusted for the central system's TLS certificate; null: the system's roots. They are the charger's installed central system root certificates.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? TrustedServerRoots { get; set; }

    /// <summary>The wss:// endpoint to move to when the central system raises the security profile above 1 (if <see cref="CentralSystem"/> is ws://).</summary>
    public Uri? SecureCentralSystem { get; set; }

    public string Vendor { get; set; } = "OcppAuth";

    public string Model { get; set; } = "SimCharger AC22";

    public string? SerialNumber { get; set; }

    public string FirmwareVersion { get; set; } = "1.0.0";

    public string MeterType { get; set; } = "SimMeter 3P";

    public int Connectors { get; set; } = 2;

    /// <summary>Current the connector can deliver per phase.</summary>
    public double MaxCurrentAmps { get; set; } = 32;

    public double NominalVoltage { get; set; } = 230;

    public int Phases { get; set; } = 3;

    /// <summary>Overrides of configuration keys (e.g. MeterValueSampleInterval = "10").</summary>
    public Dictionary<string, string> Configuration { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a CALL waits for its answer.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>BootNotification retry delay when the central system answers Pending/Rejected with interval 0.</summary>
    public TimeSpan BootRetryFallback { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a reboot (Reset, firmware installation) keeps the charger off line.</summary>
    public TimeSpan RebootDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after accepting a Reset the charger goes down (firmware finishes what it was doing first).</summary>
    public TimeSpan ResetDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long each firmware / diagnostics step (download, install, upload) takes.</summary>
    public TimeSpan FirmwareStepDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a Soft reset waits for the StopTransactions to be delivered before rebooting.</summary>
    public TimeSpan SoftResetDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Transaction-related messages kept while off line.</summary>
    public int OfflineQueueCapacity { get; set; } = 1000;

    /// <summary>The simulated driver plugs a vehicle in when a remote start finds the connector without one.</summary>
    public bool AutoPlugInOnRemoteStart { get; set; } = true;

    /// <summary>The simulated driver unplugs this long after the transaction stopped; null leaves the cable in.</summary>
    public TimeSpan? AutoUnplugAfterStop { get; set; }

    /// <summary>Seed of the charger's randomness (voltage noise, reconnect jitter); by default derived from the id.</summary>
    public int? Seed { get; set; }

    /// <summary>Receive buffer per WebSocket.</summary>
    public int ReceiveBufferBytes { get; set; } = 4096;

    /// <summary>Builds the vehicle the simulated driver plugs in (auto plug-in on remote start).</summary>
    public Func<int, IVehicle> VehicleFactory { get; set; } = _ => new SimulatedVehicle();
}
