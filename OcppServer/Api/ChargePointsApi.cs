using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Options;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Hardening;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Registry;
using OcppServer.Security;

namespace OcppServer.Api;

/// <summary>
/// <see cref="SecurityProfile"/>: 0 (only with <see cref="AllowUnauthenticated"/>), 1 or 2 (with <see cref="Password"/>), 3
/// (a client certificate from Security:ChargePointCa; no password needed). Default: 1 with a password, 0 with allowUnauthenticated.
/// </summary>
public sealed record RegisterChargePointRequest(
    string? Id, string? StationId, string? Password, bool? AllowUnauthenticated, string? Authorization, int? SecurityProfile = null);

/// <summary>How the charge point's Authorize and StartTransaction are decided: <c>Layered</c> or <c>IdTagOnly</c>.</summary>
public sealed record SetAuthorizationRequest(string? Mode);

public sealed record SetPasswordRequest(string? Password);

/// <summary>The AuthorizationKey to give the charger (32 to 40 hex characters); none: the server makes one up (20 random bytes).</summary>
public sealed record RotateAuthorizationKeyRequest(string? Key);

/// <summary>The security profile to raise the charge point to (1, 2 or 3; higher than its present one).</summary>
public sealed record RaiseSecurityProfileRequest(int? Profile);

/// <summary>How a profile upgrade ended: <c>Raised</c> or <c>Refused</c>, the charger's answers (SecurityProfile, then Reset).</summary>
public sealed record ProfileUpgradeView(string Result, int PreviousProfile, int Profile, string ChargerStatus, string? ResetStatus);

/// <summary>How a key rotation ended: <c>Rotated</c> (the charger took it) or <c>Refused</c>, with the charger's answer.</summary>
public sealed record KeyRotationView(string Result, string ChargerStatus);

public sealed record BiometricReaderRequest(string? KeyId, string? PublicKeyPem);

/// <summary>The biometric reader registered for a charge point (its public key is not repeated).</summary>
public sealed record BiometricReaderView(string ChargePointId, string KeyId, DateTimeOffset UpdatedAt);

public sealed record HardeningView(string Setting, string? Value, string Status, DateTimeOffset AnsweredAt);

/// <summary>What the charger answered to the offline-bypass hardening; <c>BypassPossible</c> when it refused a setting that matters.</summary>
public sealed record OfflineHardeningView(bool BypassPossible, IReadOnlyList<HardeningView> Settings);

public sealed record ConnectorView(
    int ConnectorId, string Status, string ErrorCode, string? Info, string? VendorId, string? VendorErrorCode,
    DateTimeOffset? Timestamp, DateTimeOffset UpdatedAt);

public sealed record ChargePointView(
    string Id,
    string? StationId,
    string RegistrationStatus,
    bool RequiresPassword,
    bool AuthorizationKeyRotationPending,
    bool AllowUnauthenticated,
    int SecurityProfile,
    string Authorization,
    bool Connected,
    DateTimeOffset? ConnectedAt,
    ConnectionSecurityView? ConnectionSecurity,
    string? Vendor,
    string? Model,
    string? ChargePointSerialNumber,
    string? ChargeBoxSerialNumber,
    string? FirmwareVersion,
    string? Iccid,
    string? Imsi,
    string? MeterType,
    string? MeterSerialNumber,
    DateTimeOffset? LastBootAt,
    DateTimeOffset? LastHeartbeatAt,
    string? FirmwareStatus,
    string? DiagnosticsStatus,
    IReadOnlyList<ConnectorView> Connectors,
    OfflineHardeningView? OfflineHardening,
    IReadOnlyList<RiskView> Risks,
    DateTimeOffset CreatedAt);

/// <summary>
/// How the live connection was admitted: the security profile it offered, its TLS protocol and cipher suite (null over
/// ws://), and the serial number of the client certificate that admitted it (profile 3).
/// </summary>
public sealed record ConnectionSecurityView(int SecurityProfile, string? Tls, string? ClientCertificateSerialNumber, string? ClientCertificateIssuer);

/// <summary>A weakness of how a charge point is set up, spelt out for the operator.</summary>
public sealed record RiskView(string Code, string Description);

public static class ChargePointsApi
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 64;

    public static RouteGroupBuilder MapChargePointsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/chargepoints").WithTags("Charge points");
        group.MapPost("/", RegisterAsync).WithName("RegisterChargePoint")
            .WithSummary("Register a charge point with its Basic-auth password (or, explicitly, allowUnauthenticated)")
            .Produces<ChargePointView>(StatusCodes.Status201Created).ProducesProblems(400, 409).ProducesBodyProblems();
        group.MapGet("/", ListAsync).WithName("ListChargePoints").WithSummary("Every registered charge point with its connection state")
            .Produces<List<ChargePointView>>();
        group.MapGet("/{id}", GetAsync).WithName("GetChargePoint").WithSummary("A charge point with its connection state and connectors")
            .Produces<ChargePointView>().ProducesProblems(404);
        group.MapPut("/{id}/authorization", SetAuthorizationAsync).WithName("SetChargePointAuthorization")
            .WithSummary("Layered (its station's policy; no station: refused) or IdTagOnly (the id tag alone, an explicit risk)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(400, 404).ProducesBodyProblems();
        group.MapPut("/{id}/password", SetPasswordAsync).WithName("SetChargePointPassword").WithSummary("Set or (with null) remove the Basic-auth password")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(400, 404).ProducesBodyProblems();
        group.MapPost("/{id}/authorization-key", RotateAuthorizationKeyAsync).WithName("RotateAuthorizationKey")
            .WithSummary("Give a connected charger a new AuthorizationKey (ChangeConfiguration); the stored key changes only once it accepts")
            .Produces<KeyRotationView>().ProducesProblems(400, 404, 409, 504).ProducesBodyProblems();
        group.MapPost("/{id}/security-profile", RaiseSecurityProfileAsync).WithName("RaiseSecurityProfile")
            .WithSummary("Raise a connected charger's security profile (credentials first if needed, ChangeConfiguration SecurityProfile, Reset)")
            .Produces<ProfileUpgradeView>().ProducesProblems(400, 404, 409, 504).ProducesBodyProblems();
        group.MapPost("/{id}/approve", ApproveAsync).WithName("ApproveChargePoint").WithSummary("Accept a Pending charge point")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(404);
        group.MapPost("/{id}/reject", RejectAsync).WithName("RejectChargePoint")
            .WithSummary("Reject (block) a charge point: its live connection is closed (1008) and its handshakes refused")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(404);
        group.MapPut("/{id}/biometric-reader", SetBiometricReaderAsync).WithName("SetBiometricReader")
            .WithSummary("Register the public key (EC P-256, PEM) of the charge point's biometric reader")
            .Produces<BiometricReaderView>().ProducesProblems(400, 404, 409).ProducesBodyProblems();
        return api;
    }

    public static async Task<IResult> RegisterAsync(
        RegisterChargePointRequest request, IChargePointStore chargePoints, IStationStore stations, IHardeningStore hardeningAnswers,
        ChargePointCertificateAuthority certificates, IOptionsMonitor<OcppOptions> ocpp, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Id is null || !OcppWebSocketEndpoint.IsValidIdentity(request.Id))
        {
            return ApiProblems.BadRequest("Invalid charge point id", $"id must be 1 to {OcppWebSocketEndpoint.MaxIdentityLength} characters without control characters.", field: "id");
        }

        if (request.SecurityProfile is { } asked && !SecurityProfiles.IsValid(asked))
        {
            return ApiProblems.BadRequest("Invalid securityProfile", "securityProfile is 0, 1, 2 or 3 (OCPP 1.6 security whitepaper).", field: "securityProfile");
        }

        int profile = request.SecurityProfile
            ?? (request.Password is null && request.AllowUnauthenticated == true ? SecurityProfiles.None : SecurityProfiles.Basic);
        if (request.Password is null && request.AllowUnauthenticated != true && profile != SecurityProfiles.TlsWithClientCertificate)
        {
            return ApiProblems.BadRequest("A charge point must authenticate",
                "Give its password (security profile 1 or 2: HTTP Basic with the charger's AuthorizationKey), register it with securityProfile 3 " +
                "(a client certificate), or set allowUnauthenticated: true to let anyone who knows its identity connect as it.", field: "password");
        }

        if (ProfileProblem(profile, request, certificates) is { } profileProblem)
        {
            return profileProblem;
        }

        if (request.Password is not null && PasswordProblem(request.Password, ocpp.CurrentValue) is { } problem)
        {
            return problem;
        }

        string? mode = request.Authorization is null ? ChargePointAuthorizationModes.Layered : ChargePointAuthorizationModes.Parse(request.Authorization);
        if (mode is null)
        {
            return ApiProblems.BadRequest("Invalid authorization", "authorization is Layered (the station's policy) or IdTagOnly (the id tag alone).", field: "authorization");
        }

        if (request.StationId is not null && await stations.GetAsync(request.StationId, cancellationToken) is null)
        {
            return ApiProblems.BadRequest("Unknown station", $"Station '{request.StationId}' does not exist; create it with POST /api/stations first.", field: "stationId");
        }

        string? hash = await HashPasswordAsync(request.Password, cancellationToken);
        bool allowUnauthenticated = profile == SecurityProfiles.None;
        var registration = new NewChargePoint(request.Id, request.StationId, RegistrationStatuses.Accepted, hash, allowUnauthenticated, mode, profile);
        if (!await chargePoints.RegisterAsync(registration, time.GetUtcNow(), cancellationToken))
        {
            return ApiProblems.Conflict($"Charge point {request.Id} already exists");
        }

        var view = await LoadViewAsync(request.Id, chargePoints, hardeningAnswers, null, cancellationToken);
        return TypedResults.Created($"/api/chargepoints/{Uri.EscapeDataString(request.Id)}", view);
    }

    /// <summary>What contradicts the profile asked for at registration, or null.</summary>
    private static IResult? ProfileProblem(int profile, RegisterChargePointRequest request, ChargePointCertificateAuthority certificates) => profile switch
    {
        SecurityProfiles.None when request.Password is not null || request.AllowUnauthenticated != true => ApiProblems.BadRequest(
            "Security profile 0 is for unauthenticated charge points", "securityProfile 0 needs allowUnauthenticated: true and no password.", field: "securityProfile"),
        SecurityProfiles.Basic or SecurityProfiles.TlsWithBasic when request.Password is null => ApiProblems.BadRequest(
            $"Security profile {profile} needs a password", "Give the charger's AuthorizationKey as password (it authenticates with HTTP Basic).", field: "password"),
        > SecurityProfiles.None when request.AllowUnauthenticated == true => ApiProblems.BadRequest(
            "allowUnauthenticated contradicts the security profile", $"A charge point of security profile {profile} authenticates; leave allowUnauthenticated out.", field: "allowUnauthenticated"),
        SecurityProfiles.TlsWithClientCertificate when !certificates.IsConfigured => ApiProblems.BadRequest(
            "Security profile 3 needs a charge point CA",
            "Configure Security:ChargePointCa (a PEM file of the CA certificates that issue the chargers' client certificates) first.", field: "securityProfile"),
        _ => null,
    };

    /// <summary>PBKDF2 (a legacy password) takes tens of milliseconds: on the thread pool, not the socket's thread (Transport:InlineIo).</summary>
    private static async Task<string?> HashPasswordAsync(string? password, CancellationToken cancellationToken) =>
        password is null ? null
        : PasswordHasher.IsAuthorizationKey(password) ? PasswordHasher.HashForStorage(password)
        : await Task.Run(() => PasswordHasher.HashForStorage(password), cancellationToken);

    public static async Task<IResult> ListAsync(
        IChargePointStore chargePoints, IHardeningStore hardeningAnswers, ChargePointConnectionRegistry connections, CancellationToken cancellationToken)
    {
        var rows = await chargePoints.ListAsync(cancellationToken);
        var connectors = (await chargePoints.GetAllConnectorsAsync(cancellationToken)).ToLookup(c => c.ChargePointId);
        var hardening = (await hardeningAnswers.GetAllAsync(cancellationToken)).ToLookup(h => h.ChargePointId);
        return TypedResults.Ok(rows.Select(row =>
            ToView(row, connectors[row.Id].ToList(), hardening[row.Id].ToList(), Connection(connections, row.Id))).ToList());
    }

    public static async Task<IResult> GetAsync(
        string id, IChargePointStore chargePoints, IHardeningStore hardeningAnswers, ChargePointConnectionRegistry connections,
        CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(id, chargePoints, hardeningAnswers, Connection(connections, id), cancellationToken);
        return view is null ? ApiProblems.NotFound($"Charge point {id} is not registered") : TypedResults.Ok(view);
    }

    public static async Task<IResult> SetAuthorizationAsync(
        string id, SetAuthorizationRequest request, IChargePointStore chargePoints, CancellationToken cancellationToken)
    {
        if (ChargePointAuthorizationModes.Parse(request.Mode) is not { } mode)
        {
            return ApiProblems.BadRequest("Invalid mode", "mode is Layered (the station's policy) or IdTagOnly (the id tag alone).");
        }

        return await chargePoints.SetAuthorizationModeAsync(id, mode, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Charge point {id} is not registered");
    }

    /// <summary>Sets (or with null removes) the password; the live connection, admitted with the old one, is closed (1008).</summary>
    public static async Task<IResult> SetPasswordAsync(
        string id, SetPasswordRequest request, IChargePointStore chargePoints, IChargePointCalls chargers,
        IOptionsMonitor<OcppOptions> ocpp, CancellationToken cancellationToken)
    {
        if (request.Password is not null && PasswordProblem(request.Password, ocpp.CurrentValue) is { } problem)
        {
            return problem;
        }

        string? hash = await HashPasswordAsync(request.Password, cancellationToken);
        if (!await chargePoints.SetPasswordHashAsync(id, hash, cancellationToken))
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        await chargers.CloseAsync(id, WebSocketCloseStatus.PolicyViolation, "Credentials changed", cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Rotates the charger's AuthorizationKey (OCA TC_073): 200 with how it ended, 504 when it did not answer (both keys
    /// admit it until it connects with the new one). The key is never returned: the charger is the only one that needs it.
    /// </summary>
    public static async Task<IResult> RotateAuthorizationKeyAsync(
        string id, RotateAuthorizationKeyRequest? request, IChargePointStore chargePoints, IChargePointCalls chargers,
        AuthorizationKeyRotation rotation, CancellationToken cancellationToken)
    {
        string key = request?.Key ?? AuthorizationKeyRotation.NewKey();
        if (await PrepareRotationAsync(id, key, chargePoints, chargers, cancellationToken) is { } problem)
        {
            return problem;
        }

        var outcome = await RotateAsync(id, key, chargers, rotation, cancellationToken);
        return outcome.Result == KeyRotationResult.Unanswered
            ? UnansweredRotation(id, outcome)
            : TypedResults.Ok(new KeyRotationView(outcome.Result.ToString(), outcome.ChargerStatus));
    }

    /// <summary>Why a key cannot be given to the charger now (400, 404, 409), or null.</summary>
    internal static async Task<IResult?> PrepareRotationAsync(
        string id, string key, IChargePointStore chargePoints, IChargePointCalls chargers, CancellationToken cancellationToken)
    {
        if (!PasswordHasher.IsAuthorizationKey(key))
        {
            return ApiProblems.BadRequest("Invalid AuthorizationKey",
                $"An AuthorizationKey is 16 to 20 bytes written as {PasswordHasher.MinAuthorizationKeyHex} to {PasswordHasher.MaxAuthorizationKeyHex} hex characters " +
                "(OCPP 1.6 security whitepaper); the charger sends it as that text.");
        }

        if (await chargePoints.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        return await chargers.IsConnectedAsync(id, cancellationToken) ? null : ApiProblems.Conflict($"Charge point {id} is not connected");
    }

    /// <summary>Rotates, then closes the live connection if it was admitted with the old key (the charger reconnects with the new one).</summary>
    internal static async Task<KeyRotationOutcome> RotateAsync(
        string id, string key, IChargePointCalls chargers, AuthorizationKeyRotation rotation,
        CancellationToken cancellationToken)
    {
        var outcome = await rotation.RotateAsync(id, key, cancellationToken);
        if (outcome.Result == KeyRotationResult.Rotated)
        {
            await chargers.RecheckAsync(id, "AuthorizationKey changed", CancellationToken.None);
        }

        return outcome;
    }

    internal static IResult UnansweredRotation(string id, KeyRotationOutcome outcome) => TypedResults.Problem(
        statusCode: StatusCodes.Status504GatewayTimeout,
        title: $"Charge point {id} did not answer the new AuthorizationKey ({outcome.ChargerStatus})",
        detail: "It may or may not have taken it: both keys admit it until it connects with the new one, which then becomes its key.");

    /// <summary>
    /// Raises the charger's security profile (OCA TC_083): 200 with how it ended, 504 when it did not answer (nothing
    /// changed). Once raised, the connection it had is closed and the weaker way is refused.
    /// </summary>
    public static async Task<IResult> RaiseSecurityProfileAsync(
        string id, RaiseSecurityProfileRequest request, IChargePointStore chargePoints, IChargePointCalls chargers,
        SecurityProfileUpgrade upgrade, ChargePointCertificateAuthority certificates, CancellationToken cancellationToken) =>
        await RaiseProfileAsync(id, request.Profile, chargePoints, chargers, upgrade, certificates, cancellationToken) switch
        {
            { Problem: { } problem } => problem,
            { Outcome: { Result: ProfileUpgradeResult.Unanswered } outcome } => UnansweredUpgrade(id, outcome),
            { Outcome: { } outcome } => TypedResults.Ok(
                new ProfileUpgradeView(outcome.Result.ToString(), outcome.PreviousProfile, outcome.Profile, outcome.ChargerStatus, outcome.ResetStatus)),
            _ => throw new InvalidOperationException("An upgrade ends with a problem or an outcome"),
        };

    /// <summary>Checks the request (400, 404, 409), raises, and closes the connection admitted on the lower profile.</summary>
    internal static async Task<(IResult? Problem, ProfileUpgradeOutcome? Outcome)> RaiseProfileAsync(
        string id, int? profile, IChargePointStore chargePoints, IChargePointCalls chargers,
        SecurityProfileUpgrade upgrade, ChargePointCertificateAuthority certificates, CancellationToken cancellationToken)
    {
        if (profile is not (SecurityProfiles.Basic or SecurityProfiles.TlsWithBasic or SecurityProfiles.TlsWithClientCertificate))
        {
            return (ApiProblems.BadRequest("Invalid profile", "profile is 1, 2 or 3 (OCPP 1.6 security whitepaper)."), null);
        }

        if (await chargePoints.GetAsync(id, cancellationToken) is not { } chargePoint)
        {
            return (ApiProblems.NotFound($"Charge point {id} is not registered"), null);
        }

        if (profile <= chargePoint.SecurityProfile)
        {
            return (ApiProblems.BadRequest($"Charge point {id} is at security profile {chargePoint.SecurityProfile} already",
                "Security profiles are only raised (the whitepaper forbids a charger to go down); a lower one would let a weaker way in again."), null);
        }

        if (profile == SecurityProfiles.TlsWithClientCertificate && !certificates.IsConfigured)
        {
            return (ApiProblems.BadRequest("Security profile 3 needs a charge point CA", "Configure Security:ChargePointCa first."), null);
        }

        if (!await chargers.IsConnectedAsync(id, cancellationToken))
        {
            return (ApiProblems.Conflict($"Charge point {id} is not connected", "The new profile is set on the charger with ChangeConfiguration."), null);
        }

        var outcome = await upgrade.RaiseAsync(chargePoint, profile.Value, cancellationToken);
        if (outcome.Result == ProfileUpgradeResult.Raised)
        {
            await chargers.RecheckAsync(id, "Security profile raised", CancellationToken.None);
        }

        return (null, outcome);
    }

    internal static IResult UnansweredUpgrade(string id, ProfileUpgradeOutcome outcome) => TypedResults.Problem(
        statusCode: StatusCodes.Status504GatewayTimeout,
        title: $"Charge point {id} did not answer the security profile change ({outcome.ChargerStatus})",
        detail: $"Its stored profile stays {outcome.PreviousProfile}; a charger that took the new one still meets it.");

    public static async Task<IResult> ApproveAsync(
        string id, IChargePointStore chargePoints, IChargePointCalls chargers, ChargePointCommandService commands,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!await chargePoints.SetRegistrationStatusAsync(id, RegistrationStatuses.Accepted, cancellationToken))
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        // A connected Pending charger would only boot again after its retry interval: ask it to boot now.
        if (await chargers.IsConnectedAsync(id, cancellationToken))
        {
            _ = RequestBootAsync(id, commands, loggers.CreateLogger(typeof(ChargePointsApi).FullName!));
        }

        return TypedResults.NoContent();
    }

    /// <summary>Rejects (blocks) the charge point: its live connection is closed (1008) and its handshakes refused.</summary>
    public static async Task<IResult> RejectAsync(
        string id, IChargePointStore chargePoints, IChargePointCalls chargers, CancellationToken cancellationToken)
    {
        if (!await chargePoints.SetRegistrationStatusAsync(id, RegistrationStatuses.Rejected, cancellationToken))
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        await chargers.CloseAsync(id, WebSocketCloseStatus.PolicyViolation, "Rejected by the operator", cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> SetBiometricReaderAsync(
        string id, BiometricReaderRequest request, IChargePointStore chargePoints, IBiometricReaderStore readers, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await chargePoints.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        if (string.IsNullOrWhiteSpace(request.KeyId) || request.KeyId.Length > 128)
        {
            return ApiProblems.BadRequest("Invalid keyId", "keyId must be 1 to 128 characters.", field: "keyId");
        }

        if (!IsP256PublicKey(request.PublicKeyPem))
        {
            return ApiProblems.BadRequest("Invalid publicKeyPem", "publicKeyPem must be a PEM SubjectPublicKeyInfo of an EC P-256 key.", field: "publicKeyPem");
        }

        var row = new BiometricReaderRecord { ChargePointId = id, KeyId = request.KeyId, PublicKeyPem = request.PublicKeyPem!.Trim(), UpdatedAt = time.GetUtcNow() };
        return await readers.UpsertAsync(row, cancellationToken)
            ? TypedResults.Ok(new BiometricReaderView(id, row.KeyId, row.UpdatedAt))
            : ApiProblems.Conflict($"Key id {request.KeyId} belongs to another charge point's reader", field: "keyId");
    }

    private static bool IsP256PublicKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem) || pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(pem);
            var curve = key.ExportParameters(false).Curve;
            return curve.IsNamed && curve.Oid.Value == System.Security.Cryptography.ECCurve.NamedCurves.nistP256.Oid.Value;
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static async Task RequestBootAsync(string id, ChargePointCommandService commands, ILogger logger)
    {
        try
        {
            await commands.SendAsync(id, "TriggerMessage", Ocpp.Messages.OcppJson.ToElement(new { requestedMessage = "BootNotification" }), CancellationToken.None);
        }
        catch (CommandFailedException ex)
        {
            logger.LogInformation("Could not ask {ChargePointId} to boot after approval: {Reason}", id, ex.Message);
        }
    }

    /// <summary>
    /// The security whitepaper's rule: the AuthorizationKey is 16 to 20 bytes, configured (and sent as the Basic password)
    /// as 32 to 40 hex characters. The older 8 to 64 printable characters only behind Ocpp:AllowLegacyPasswords.
    /// </summary>
    private static IResult? PasswordProblem(string password, OcppOptions options)
    {
        if (options.AllowLegacyPasswords)
        {
            return password.Length is < MinPasswordLength or > MaxPasswordLength || password.Any(char.IsControl)
                ? ApiProblems.BadRequest("Invalid password", $"A charge point password is {MinPasswordLength} to {MaxPasswordLength} printable characters.", field: "password")
                : null;
        }

        return !PasswordHasher.IsAuthorizationKey(password)
            ? ApiProblems.BadRequest("Invalid password",
                $"A charge point password is its AuthorizationKey: 16 to 20 bytes written as {PasswordHasher.MinAuthorizationKeyHex} to {PasswordHasher.MaxAuthorizationKeyHex} hex characters " +
                "(OCPP 1.6 security whitepaper). Ocpp:AllowLegacyPasswords admits 8 to 64 printable characters instead.", field: "password")
            : null;
    }

    private static ChargePointConnection? Connection(ChargePointConnectionRegistry connections, string id) =>
        connections.TryGet(id, out var connection) ? connection : null;

    private static async Task<ChargePointView?> LoadViewAsync(
        string id, IChargePointStore chargePoints, IHardeningStore hardeningAnswers, ChargePointConnection? connection, CancellationToken cancellationToken)
    {
        var row = await chargePoints.GetAsync(id, cancellationToken);
        return row is null ? null : ToView(row, await chargePoints.GetConnectorsAsync(id, cancellationToken),
            await hardeningAnswers.GetAsync(id, cancellationToken), connection);
    }

    private static ChargePointView ToView(
        ChargePointRecord row, IReadOnlyList<ConnectorRecord> connectors, IReadOnlyList<HardeningAnswer> hardening, ChargePointConnection? connection) => new(
        row.Id, row.StationId, row.RegistrationStatus, row.PasswordHash is not null, row.PendingPasswordHash is not null,
        row.AllowUnauthenticated && row.PasswordHash is null, row.SecurityProfile,
        row.AuthorizationMode, connection is not null, connection?.ConnectedAt,
        connection is null ? null : new ConnectionSecurityView(connection.Admission.SecurityProfile, connection.Tls,
            connection.Admission.CertificateSerialNumber, connection.Admission.CertificateIssuer),
        row.Vendor, row.Model, row.ChargePointSerial, row.ChargeBoxSerial, row.FirmwareVersion, row.Iccid, row.Imsi, row.MeterType,
        row.MeterSerial, row.LastBootAt, row.LastHeartbeatAt, row.FirmwareStatus, row.DiagnosticsStatus,
        connectors.Select(c => new ConnectorView(c.ConnectorId, c.Status, c.ErrorCode, c.Info, c.VendorId, c.VendorErrorCode, c.StatusTimestamp, c.UpdatedAt)).ToList(),
        hardening.Count == 0 ? null : new OfflineHardeningView(
            OfflineBypassHardening.IsBypassPossible(hardening),
            hardening.Select(h => new HardeningView(h.Setting, h.Value, h.Status, h.AnsweredAt)).ToList()),
        Risks(row),
        row.CreatedAt);

    private static IReadOnlyList<RiskView> Risks(ChargePointRecord row)
    {
        var risks = new List<RiskView>();
        if (row.PasswordHash is null)
        {
            risks.Add(row.AllowUnauthenticated
                ? new("allowUnauthenticated", "Connects without credentials: anyone who knows its identity can connect as it, take over its sessions and report evidence in its name.")
                : new("noCredentials", "No password is set and unauthenticated access is not allowed: every handshake is refused until a password is set."));
        }

        if (row.PendingPasswordHash is not null)
        {
            risks.Add(new("authorizationKeyRotationPending",
                "A new AuthorizationKey was sent without an answer: the old and the new key both admit it until it connects with the new one (or the rotation is repeated)."));
        }

        if (row.AuthorizationMode == ChargePointAuthorizationModes.IdTagOnly)
        {
            risks.Add(new("idTagOnly", "Decided on the id tag alone: whoever holds (or copies) a card charges as its driver; no camera, face or VIN check."));
        }
        else if (row.StationId is null)
        {
            risks.Add(new("noLayeredPolicy", "Belongs to no station: every Authorize and StartTransaction is refused (NoLayeredPolicy) until it is given a station or IdTagOnly."));
        }

        return risks;
    }
}
