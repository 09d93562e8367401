using System.Text;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Ocpp.Connections;
using OcppServer.Storage.Repositories;

namespace OcppServer.Api;

public sealed record RegisterChargePointRequest(string? Id, string? StationId, string? Password);

public sealed record SetPasswordRequest(string? Password);

public sealed record ConnectorView(
    int ConnectorId, string Status, string ErrorCode, string? Info, string? VendorId, string? VendorErrorCode,
    DateTimeOffset? Timestamp, DateTimeOffset UpdatedAt);

public sealed record ChargePointView(
    string Id,
    string? StationId,
    string RegistrationStatus,
    bool RequiresPassword,
    bool Connected,
    DateTimeOffset? ConnectedAt,
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
    DateTimeOffset CreatedAt);

public static class ChargePointsApi
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 64;

    public static RouteGroupBuilder MapChargePointsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/chargepoints").WithTags("Charge points");
        group.MapPost("/", RegisterAsync).WithName("RegisterChargePoint").WithSummary("Register a charge point (optionally with a Basic-auth password)");
        group.MapGet("/", ListAsync).WithName("ListChargePoints");
        group.MapGet("/{id}", GetAsync).WithName("GetChargePoint").WithSummary("A charge point with its connection state and connectors");
        group.MapPut("/{id}/password", SetPasswordAsync).WithName("SetChargePointPassword").WithSummary("Set or (with null) remove the Basic-auth password");
        group.MapPost("/{id}/approve", ApproveAsync).WithName("ApproveChargePoint").WithSummary("Accept a Pending charge point");
        group.MapPost("/{id}/reject", RejectAsync).WithName("RejectChargePoint");
        return api;
    }

    public static async Task<IResult> RegisterAsync(
        RegisterChargePointRequest request, ChargePointRepository chargePoints, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Id is null || !OcppWebSocketEndpoint.IsValidIdentity(request.Id))
        {
            return ApiProblems.BadRequest("Invalid charge point id", $"id must be 1 to {OcppWebSocketEndpoint.MaxIdentityLength} characters without control characters.");
        }

        if (request.Password is not null && PasswordProblem(request.Password) is { } problem)
        {
            return problem;
        }

        string? hash = request.Password is null ? null : PasswordHasher.Hash(Encoding.UTF8.GetBytes(request.Password));
        if (!await chargePoints.InsertAsync(request.Id, request.StationId, RegistrationStatuses.Accepted, hash, time.GetUtcNow(), cancellationToken))
        {
            return ApiProblems.Conflict($"Charge point {request.Id} already exists");
        }

        var view = await LoadViewAsync(request.Id, chargePoints, null, cancellationToken);
        return TypedResults.Created($"/api/chargepoints/{Uri.EscapeDataString(request.Id)}", view);
    }

    public static async Task<IResult> ListAsync(
        ChargePointRepository chargePoints, ChargePointConnectionRegistry connections, CancellationToken cancellationToken)
    {
        var rows = await chargePoints.ListAsync(cancellationToken);
        var views = new List<ChargePointView>(rows.Count);
        foreach (var row in rows)
        {
            views.Add(ToView(row, await chargePoints.GetConnectorsAsync(row.Id, cancellationToken), Connection(connections, row.Id)));
        }

        return TypedResults.Ok(views);
    }

    public static async Task<IResult> GetAsync(
        string id, ChargePointRepository chargePoints, ChargePointConnectionRegistry connections, CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(id, chargePoints, Connection(connections, id), cancellationToken);
        return view is null ? ApiProblems.NotFound($"Charge point {id} is not registered") : TypedResults.Ok(view);
    }

    public static async Task<IResult> SetPasswordAsync(
        string id, SetPasswordRequest request, ChargePointRepository chargePoints, CancellationToken cancellationToken)
    {
        if (request.Password is not null && PasswordProblem(request.Password) is { } problem)
        {
            return problem;
        }

        string? hash = request.Password is null ? null : PasswordHasher.Hash(Encoding.UTF8.GetBytes(request.Password));
        return await chargePoints.SetPasswordHashAsync(id, hash, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Charge point {id} is not registered");
    }

    public static async Task<IResult> ApproveAsync(
        string id, ChargePointRepository chargePoints, ChargePointConnectionRegistry connections, ChargePointCommandService commands,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!await chargePoints.SetRegistrationStatusAsync(id, RegistrationStatuses.Accepted, cancellationToken))
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        // A connected Pending charger would only boot again after its retry interval: ask it to boot now.
        if (connections.TryGet(id, out _))
        {
            _ = RequestBootAsync(id, commands, loggers.CreateLogger(typeof(ChargePointsApi).FullName!));
        }

        return TypedResults.NoContent();
    }

    public static async Task<IResult> RejectAsync(string id, ChargePointRepository chargePoints, CancellationToken cancellationToken) =>
        await chargePoints.SetRegistrationStatusAsync(id, RegistrationStatuses.Rejected, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"Charge point {id} is not registered");

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

    private static IResult? PasswordProblem(string password) =>
        password.Length is < MinPasswordLength or > MaxPasswordLength || password.Any(char.IsControl)
            ? ApiProblems.BadRequest("Invalid password", $"A charge point password is {MinPasswordLength} to {MaxPasswordLength} printable characters.")
            : null;

    private static ChargePointConnection? Connection(ChargePointConnectionRegistry connections, string id) =>
        connections.TryGet(id, out var connection) ? connection : null;

    private static async Task<ChargePointView?> LoadViewAsync(
        string id, ChargePointRepository chargePoints, ChargePointConnection? connection, CancellationToken cancellationToken)
    {
        var row = await chargePoints.GetAsync(id, cancellationToken);
        return row is null ? null : ToView(row, await chargePoints.GetConnectorsAsync(id, cancellationToken), connection);
    }

    private static ChargePointView ToView(ChargePointRow row, IReadOnlyList<ConnectorRow> connectors, ChargePointConnection? connection) => new(
        row.Id, row.StationId, row.RegistrationStatus, row.PasswordHash is not null, connection is not null, connection?.ConnectedAt,
        row.Vendor, row.Model, row.ChargePointSerial, row.ChargeBoxSerial, row.FirmwareVersion, row.Iccid, row.Imsi, row.MeterType,
        row.MeterSerial, row.LastBootAt, row.LastHeartbeatAt, row.FirmwareStatus, row.DiagnosticsStatus,
        connectors.Select(c => new ConnectorView(c.ConnectorId, c.Status, c.ErrorCode, c.Info, c.VendorId, c.VendorErrorCode, c.StatusTimestamp, c.UpdatedAt)).ToList(),
        row.CreatedAt);
}
