using OcppServer.Registry;

namespace OcppServer.Authorization;

public sealed class AuthorizationOptions
{
    public const string Section = "Authorization";

    /// <summary>The policy of a station that does not override it (all three factors required by default).</summary>
    public StationPolicy DefaultPolicy { get; set; } = new();

    /// <summary>idTagInfo.expiryDate of an Accepted layered decision: short, so chargers do not cache it for long.</summary>
    public int AcceptedExpiryMinutes { get; set; } = 2;

    /// <summary>A station whose cameras have sent nothing for this long is in camera outage.</summary>
    public int CameraOutageMinutes { get; set; } = 15;

    /// <summary>After refusing a StartTransaction, how long the charger has to stop by itself before RemoteStopTransaction.</summary>
    public int RemoteStopGraceSeconds { get; set; } = 10;

    /// <summary>A camera capture whose <c>capturedAt</c> is further than this from server time is refused (never Passed).</summary>
    public int CaptureClockSkewSeconds { get; set; } = 60;

    /// <summary>Require the ISO 3779 check digit in position 9 (EU VINs may lack it).</summary>
    public bool RequireVinCheckDigit { get; set; } = true;
}

public sealed class BiometricOptions
{
    public const string Section = "Biometrics";

    /// <summary>Length of templates (float32 values) enrolled and carried in tokens.</summary>
    public int TemplateDimension { get; set; } = 128;

    /// <summary>Base64 AES-256 key for templates at rest. Empty: a key is generated into the data folder on first start.</summary>
    public string? TemplateKey { get; set; }

    public int ClockSkewSeconds { get; set; } = 30;

    public int MaxTokenLifetimeSeconds { get; set; } = 300;

    /// <summary>1:N identification needs the best driver to beat the runner-up by this much.</summary>
    public double IdentificationMargin { get; set; } = 0.05;
}
