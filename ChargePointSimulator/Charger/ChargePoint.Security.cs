using System.Globalization;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>The OCPP 1.6 security whitepaper on the charger's side: security profiles, the AuthorizationKey, security events.</summary>
public sealed partial class ChargePoint
{
    public const string AuthorizationKeyConfiguration = "AuthorizationKey";
    public const string SecurityProfileConfiguration = "SecurityProfile";

    private int _securityProfile;

    /// <summary>The profile the charger connects with (0 to 3).</summary>
    public int SecurityProfile
    {
        get
        {
            lock (_gate)
            {
                return _securityProfile;
            }
        }
    }

    /// <summary>The AuthorizationKey it sends as Basic password (profiles 1 and 2).</summary>
    public string? AuthorizationKey
    {
        get
        {
            lock (_gate)
            {
                return _options.Password;
            }
        }
    }

    private static int InitialSecurityProfile(ChargePointOptions options) =>
        options.SecurityProfile ?? (options.CentralSystem.Scheme == "wss"
            ? options.ClientCertificate is not null ? 3 : 2
            : options.Password is not null ? 1 : 0);

    /// <summary>
    /// Reports a security event (SecurityEventNotification). Queued like transaction messages: sent once the charger is
    /// on line, in order, and kept while it is off line.
    /// </summary>
    public Task ReportSecurityEventAsync(string type, string? techInfo, CancellationToken cancellationToken)
    {
        Raise(ChargePointEventKind.Information, $"security event {type}{(techInfo is null ? "" : ": " + techInfo)}");
        techInfo = techInfo is { Length: > 255 } ? techInfo[..254] + "…" : techInfo; // CiString255
        return Send("SecurityEventNotification", new SecurityEventNotificationRequest(type, _time.GetUtcNow(), techInfo), transactional: true)
            .WaitAsync(cancellationToken);
    }

    /// <summary>
    /// ChangeConfiguration of AuthorizationKey or SecurityProfile, as the whitepaper has the charger do it; null for any
    /// other key. A new AuthorizationKey (16 to 20 bytes as 32 to 40 hex characters) is taken and the charger reconnects
    /// with it (OCA TC_073); a SecurityProfile is only raised, and only when the charger has what it needs (a key and a
    /// wss:// endpoint for 2, a client certificate and a wss:// endpoint for 3); it is used from the next connection (the
    /// central system resets the charger: OCA TC_083). Both are reported as ReconfigurationOfSecurityParameters.
    /// </summary>
    internal (ConfigurationStatus Status, Func<CancellationToken, Task>? Then)? ChangeSecuritySetting(string key, string value)
    {
        if (string.Equals(key, AuthorizationKeyConfiguration, StringComparison.OrdinalIgnoreCase))
        {
            if (value.Length is < 32 or > 40 || value.Length % 2 != 0 || !value.All(char.IsAsciiHexDigit))
            {
                return (ConfigurationStatus.Rejected, null);
            }

            lock (_gate)
            {
                _options.Password = value;
            }

            Raise(ChargePointEventKind.ConfigurationChanged, "AuthorizationKey = [new key]");
            return (ConfigurationStatus.Accepted, async ct =>
            {
                Forget(ReportSecurityEventAsync("ReconfigurationOfSecurityParameters", "AuthorizationKey changed", ct));
                if (_connection is { } connection)
                {
                    await connection.CloseAsync("reconnecting with the new AuthorizationKey");
                }
            });
        }

        if (!string.Equals(key, SecurityProfileConfiguration, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int profile) || profile is < 0 or > 3)
        {
            return (ConfigurationStatus.Rejected, null);
        }

        lock (_gate)
        {
            var secure = _options.CentralSystem.Scheme == "wss" ? _options.CentralSystem : _options.SecureCentralSystem;
            bool ready = profile > _securityProfile && profile switch
            {
                1 => _options.Password is not null,
                2 => _options.Password is not null && secure is not null,
                3 => _options.ClientCertificate is not null && secure is not null,
                _ => false,
            };
            if (!ready)
            {
                return (ConfigurationStatus.Rejected, null);
            }

            _securityProfile = profile;
            if (profile >= 2)
            {
                _options.CentralSystem = secure!;
            }
        }

        Raise(ChargePointEventKind.ConfigurationChanged, $"SecurityProfile = {profile}");
        return (ConfigurationStatus.Accepted, ct =>
        {
            Forget(ReportSecurityEventAsync("ReconfigurationOfSecurityParameters", $"SecurityProfile raised to {profile}", ct));
            return Task.CompletedTask;
        });
    }

    private OcppConnectionOptions ConnectionOptions()
    {
        lock (_gate)
        {
            return new OcppConnectionOptions
            {
                Password = _securityProfile >= 3 ? null : _options.Password,
                ClientCertificate = _securityProfile >= 3 ? _options.ClientCertificate : null,
                TrustedServerRoots = TrustedServerRoots(),
                KeepAliveInterval = Configuration.GetSeconds(ConfigurationKeys.WebSocketPingInterval),
                ReceiveBufferBytes = _options.ReceiveBufferBytes,
                ConnectTimeout = _options.CallTimeout,
            };
        }
    }
}
