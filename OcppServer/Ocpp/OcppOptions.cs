namespace OcppServer.Ocpp;

public enum UnknownChargePointPolicy
{
    /// <summary>HTTP 401 at the WebSocket handshake, as for any refused handshake.</summary>
    Reject,

    /// <summary>Accept the socket; BootNotification answers Pending until an operator approves.</summary>
    Pending,

    /// <summary>Register it on first contact and accept it.</summary>
    Accept,
}

public sealed class OcppOptions
{
    public const string Section = "Ocpp";

    /// <summary>
    /// What a handshake of an unregistered identity gets. <c>Accept</c> and <c>Pending</c> are an explicit opt-in to
    /// charge points that never authenticate: such identities are registered on first contact without credentials.
    /// </summary>
    public UnknownChargePointPolicy UnknownChargePoints { get; set; } = UnknownChargePointPolicy.Reject;

    /// <summary>Accept charge point passwords of 8 to 64 printable characters instead of the whitepaper's 32 to 40 hex characters.</summary>
    public bool AllowLegacyPasswords { get; set; }

    /// <summary>
    /// Serve plain ws:// and http:// on addresses beyond loopback (by default the server refuses to start with such an
    /// endpoint): e.g. behind a TLS-terminating proxy on the same host. Charge points of security profile 2 and 3 still
    /// need TLS to this server.
    /// </summary>
    public bool AllowInsecureTransport { get; set; }

    /// <summary>The <c>interval</c> returned in BootNotification.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 300;

    /// <summary>
    /// Largest frame processed. A larger one is read to its end without being kept and answered with a CALLERROR
    /// (<c>FormationViolation</c>, with its own id when readable); the connection stays open.
    /// </summary>
    public int MaxFrameBytes { get; set; } = 65536;

    /// <summary>A frame larger than this is not read to its end: the connection is closed with 1009 (message too big).</summary>
    public int MaxDiscardedFrameBytes { get; set; } = 1 << 20;

    /// <summary>How long a server-to-charger call waits for its CALLRESULT.</summary>
    public int CallTimeoutSeconds { get; set; } = 30;

    /// <summary>Interval of WebSocket ping frames; 0 disables them.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>A connection with no OCPP frame for this long is closed; 0 disables the check.</summary>
    public int IdleTimeoutSeconds { get; set; } = 900;

    /// <summary>Validate every payload the server sends against its schema (on in tests; a failure is an InternalError).</summary>
    public bool ValidateOutgoing { get; set; }

    /// <summary>Most charge point sockets served at once; 0 = the open-files limit less a margin. Extra handshakes get 503.</summary>
    public int MaxConnections { get; set; }

    public MessageLogOptions MessageLog { get; set; } = new();
}

public sealed class MessageLogOptions
{
    public bool Enabled { get; set; }

    public int MaxRows { get; set; } = 100_000;
}
