namespace ChargePointSimulator.Load;

/// <summary>A bounded load run against a loopback central system.</summary>
public sealed record LoadOptions
{
    public const int MaxCount = 50_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    public const double MaxRate = 100_000;
    public const int MaxUrls = 64;

    /// <summary>OCPP endpoint without the identity, e.g. ws://127.0.0.1:8180/ocpp. Must resolve to loopback.</summary>
    public required Uri Url { get; init; }

    /// <summary>
    /// With several server nodes behind one address: every node's OCPP endpoint, <see cref="Url"/> first (the API calls
    /// go there). Charger i connects to node i mod n and, when its connection drops, reconnects to the next one. Empty:
    /// only <see cref="Url"/>, and a dropped charger stays down (as with one node).
    /// </summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>The endpoints chargers connect to: <see cref="Urls"/>, or just <see cref="Url"/>.</summary>
    public IReadOnlyList<Uri> NodeUrls => Urls.Count > 0 ? Urls : [Url];

    /// <summary>Whether chargers fail over to the next endpoint when their connection drops (several <see cref="Urls"/>).</summary>
    public bool FailsOver => NodeUrls.Count > 1;

    /// <summary>The endpoint charger <paramref name="index"/> of the run connects to first, spread evenly like a load balancer.</summary>
    public int UrlIndexFor(int index) => index % NodeUrls.Count;

    public int Count { get; init; } = 2000;

    /// <summary>How long the steady phase (after every charger connected) lasts.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Aggregate picks of the mix per second over all chargers in the steady phase: CALLs, or with
    /// <see cref="MessageMix.Journey"/> whole journeys (each makes two decisions, Authorize and StartTransaction).</summary>
    public double Rate { get; init; } = 1000;

    /// <summary>Load at the same rate and mix before the steady phase, left out of the figures (JIT, cold caches).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    public MessageMix Mix { get; init; } = MessageMix.Default;

    public string IdPrefix { get; init; } = "LOAD-";

    /// <summary>Operator key for <c>POST /api/chargepoints</c>; required unless <see cref="Register"/> is false, and always with journeys
    /// (each journey's pre-verification is an API request).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Register the charge points (and the idTag) through the API first.</summary>
    public bool Register { get; init; } = true;

    public string IdTag { get; init; } = "LOAD-TAG";

    /// <summary>Handshakes (open + Boot + Status + Heartbeat) in flight at once during the connect phase.</summary>
    public int ConnectConcurrency { get; init; } = 200;

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>127.0.0.x source addresses to spread client sockets over; 0 decides from the ephemeral port range.</summary>
    public int SourceAddresses { get; init; }

    /// <summary>Processes to spread the connections over (a process holds at most its file-descriptor limit); 0 decides.</summary>
    public int Workers { get; init; }

    /// <summary>Reads VmRSS of this process (the server) from /proc at the end.</summary>
    public int? ServerPid { get; init; }

    /// <summary>With several server nodes: one PID per node (their RSS and CPU are reported each); empty: <see cref="ServerPid"/>.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    /// <summary>The server processes to measure: <see cref="ServerPids"/>, or <see cref="ServerPid"/>.</summary>
    public IReadOnlyList<int> AllServerPids => ServerPids.Count > 0 ? ServerPids : ServerPid is { } pid ? [pid] : [];

    public bool Progress { get; init; } = true;

    /// <summary>This process handles connections [SliceStart, SliceStart + SliceCount) of the run (set for worker processes).</summary>
    public int SliceStart { get; init; }

    public int? SliceCount { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>
    /// The OCPP 1.6 security profile the chargers connect with: 1 Basic (ws:// or wss://), 2 Basic over wss://, 3 a client
    /// certificate over wss:// (issued per charger by <see cref="ClientCaFile"/>); null: 2 over wss:// (3 with a client
    /// CA), else 1. The charge points are registered with it.
    /// </summary>
    public int? SecurityProfile { get; init; }

    /// <summary>PEM file of the roots trusted for the server's TLS certificate (wss://); null: the system's roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM files of the charge point CA and its key (profile 3): each charger gets a certificate with CN = its id from it.</summary>
    public string? ClientCaFile { get; init; }

    public string? ClientCaKeyFile { get; init; }

    /// <summary>Subject O of the chargers' certificates (when the server requires Security:ChargePointOrganization).</summary>
    public string? CpoName { get; init; }

    /// <summary>The profile of the run (see <see cref="SecurityProfile"/>).</summary>
    public int Profile => SecurityProfile ?? (Url.Scheme == "wss" ? ClientCaFile is not null ? 3 : 2 : 1);

    public string ChargePointId(int index) => $"{IdPrefix}{index + 1:D5}";

    /// <summary>Bounds that keep a load run from turning into an open-ended flood.</summary>
    public void Validate()
    {
        if (Urls.Count > MaxUrls)
        {
            throw new ArgumentException($"--url may be given at most {MaxUrls} times");
        }

        if (Urls.Count > 0 && Urls[0] != Url)
        {
            throw new ArgumentException("The first of the node URLs must be the run's URL (the API calls go there)");
        }

        if (Count is < 1 or > MaxCount)
        {
            throw new ArgumentException($"--count must be 1 to {MaxCount}");
        }

        if (Duration <= TimeSpan.Zero || Duration > MaxDuration)
        {
            throw new ArgumentException($"--duration must be more than 0 and at most {MaxDuration.TotalSeconds:0} s");
        }

        if (Warmup < TimeSpan.Zero || Warmup > MaxDuration)
        {
            throw new ArgumentException($"--warmup must be 0 to {MaxDuration.TotalSeconds:0} s");
        }

        if (Rate is < 0 or > MaxRate)
        {
            throw new ArgumentException($"--rate must be 0 to {MaxRate}");
        }

        if (ConnectConcurrency is < 1 or > 5000)
        {
            throw new ArgumentException("--connect-concurrency must be 1 to 5000");
        }

        if (SourceAddresses is < 0 or > 250)
        {
            throw new ArgumentException("--source-addresses must be 0 to 250");
        }

        if (SecurityProfile is < 1 or > 3)
        {
            throw new ArgumentException("--security-profile is 1, 2 or 3");
        }

        if (Profile >= 2 && NodeUrls.Any(u => u.Scheme != "wss"))
        {
            throw new ArgumentException($"Security profile {Profile} needs wss:// URLs");
        }

        if (Profile == 3 && (ClientCaFile is null || ClientCaKeyFile is null))
        {
            throw new ArgumentException("Security profile 3 needs --client-ca and --client-ca-key (the chargers' certificates are issued from them)");
        }

        if (Profile == 3 && Mix.HasJourney)
        {
            throw new ArgumentException("The Journey workload runs at security profile 1 or 2");
        }

        if (Profile == 2 && string.IsNullOrEmpty(ApiKey))
        {
            throw new ArgumentException("Security profile 2 needs --api-key: each charger's password is derived from it");
        }

        if (Register && string.IsNullOrEmpty(ApiKey))
        {
            throw new ArgumentException("Registering the charge points needs --api-key (or pass --no-register when they exist)");
        }

        if (Mix.HasJourney)
        {
            if (string.IsNullOrEmpty(ApiKey))
            {
                throw new ArgumentException("The Journey workload needs --api-key: it sets up its station and drivers, and each journey records a pre-verification");
            }

            if (new JourneyIdentities(IdPrefix).Problem(Count) is { } problem)
            {
                throw new ArgumentException(problem);
            }
        }
    }
}
