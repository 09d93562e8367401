using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp.Dispatch;

namespace OcppServer.Ocpp.Connections;

/// <summary>The OCPP-J endpoint <c>ws://host/ocpp/{chargePointId}</c>: handshake checks, then one <see cref="ChargePointConnection"/>.</summary>
public static class OcppWebSocketEndpoint
{
    public const string SubProtocol = "ocpp1.6";
    public const string PathPrefix = "/ocpp/";
    public const int MaxIdentityLength = 48;

    public static IEndpointRouteBuilder MapOcppWebSockets(this IEndpointRouteBuilder routes)
    {
        routes.Map(PathPrefix + "{**path}", HandleAsync).ExcludeFromDescription();
        return routes;
    }

    private static async Task HandleAsync(
        HttpContext http,
        IChargePointAdmission admission,
        ChargePointConnectionRegistry registry,
        IConnectionOwnership ownership,
        IOcppCallDispatcher dispatcher,
        IOptions<OcppOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers,
        IEnumerable<IOcppFrameObserver> observers,
        IEnumerable<IChargePointConnectionObserver> connectionObservers,
        IEnumerable<IConnectionSecurityObserver> securityObservers,
        IOcppTransportTelemetry telemetry)
    {
        var logger = loggers.CreateLogger(typeof(OcppWebSocketEndpoint).FullName!);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "OCPP-J needs a WebSocket upgrade").ExecuteAsync(http);
            return;
        }

        string? identity = ReadIdentity(http);
        if (identity is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: $"Charge point identity must be 1 to {MaxIdentityLength} characters without control characters").ExecuteAsync(http);
            return;
        }

        // OCPP-J 1.6 §4.1.2: without an agreeable subprotocol the server completes the handshake without
        // Sec-WebSocket-Protocol and closes the connection at once.
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal))
        {
            EndpointLog.SubProtocolNotOffered(logger, identity, SubProtocol);
            using var refused = await http.WebSockets.AcceptWebSocketAsync();
            // Send the close frame and end the connection (TCP FIN) without waiting for the client's close reply:
            // a client that read our close together with the handshake may never answer it.
            using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            try
            {
                await refused.CloseOutputAsync(WebSocketCloseStatus.ProtocolError, $"Subprotocol {SubProtocol} is required", closeTimeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
            {
                EndpointLog.RefusedCloseNotClean(logger, identity);
            }

            return;
        }

        string? remoteAddress = http.Connection.RemoteIpAddress?.ToString();
        var decision = await admission.AdmitAsync(
            new ConnectionAttempt(identity, ReadBasicCredentials(http.Request), http.Connection.ClientCertificate, http.Request.IsHttps, remoteAddress),
            http.RequestAborted);
        if (decision.Outcome != AdmissionOutcome.Admitted)
        {
            // The same answer for an unknown identity, a missing or wrong password, a rejected charge point and a locked
            // one: nothing tells an attacker which identities exist or have a password. The reason is in the log.
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\", charset=\"UTF-8\"";
            return;
        }

        var ocpp = options.Value;
        if (!registry.HasRoomFor(identity))
        {
            EndpointLog.ConnectionLimitReached(logger, identity, registry.Count);
            http.Response.Headers.RetryAfter = "30";
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Connection limit reached").ExecuteAsync(http);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = SubProtocol,
            KeepAliveInterval = TimeSpan.FromSeconds(ocpp.KeepAliveSeconds),
            KeepAliveTimeout = ocpp.KeepAliveSeconds > 0 ? TimeSpan.FromSeconds(ocpp.KeepAliveSeconds * 2) : Timeout.InfiniteTimeSpan,
        });

        var connection = new ChargePointConnection(
            identity,
            socket,
            remoteAddress,
            dispatcher,
            observers.FirstOrDefault(),
            ocpp,
            time,
            loggers.CreateLogger<ChargePointConnection>())
        {
            Admission = decision,
            Tls = http.Features.Get<ITlsHandshakeFeature>() is { } tls ? $"{tls.Protocol} {tls.NegotiatedCipherSuite}" : null,
            IsRegistrationAccepted = decision.RegistrationAccepted,
            Telemetry = telemetry,
        };

        if (registry.Register(connection) is { } replaced)
        {
            EndpointLog.Reconnected(logger, identity);
            _ = replaced.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
            foreach (var observer in securityObservers)
            {
                observer.OnReplaced(replaced, connection);
            }
        }

        EndpointLog.Connected(logger, identity, connection.RemoteAddress);
        telemetry.Connected();
        try
        {
            // An operator may have revoked what admitted this connection (password, rejection) while the handshake ran,
            // before the connection was registered where the revocation closes it: check once more now that it is.
            if (!await admission.StillQualifiesAsync(identity, decision, http.RequestAborted))
            {
                EndpointLog.AdmissionLost(logger, identity);
                await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Credentials revoked");
            }

            // With several nodes: the identity's previous socket, on whatever node, is closed by its node; a newer one
            // elsewhere (two connections racing) wins, and this one goes.
            if (!await ownership.ClaimAsync(connection, http.RequestAborted))
            {
                EndpointLog.NewerConnectionElsewhere(logger, identity);
                await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
            }

            foreach (var observer in connectionObservers)
            {
                _ = NotifyAsync(observer, connection, logger);
            }

            await connection.RunAsync(lifetime.ApplicationStopping);
        }
        finally
        {
            registry.Unregister(connection);
            telemetry.Disconnected();
            await ownership.ReleaseAsync(connection);
            EndpointLog.Disconnected(logger, identity);
        }
    }

    private static async Task NotifyAsync(IChargePointConnectionObserver observer, ChargePointConnection connection, ILogger logger)
    {
        try
        {
            await observer.OnConnectedAsync(connection, connection.Closed);
        }
        catch (Exception ex) when (connection.Closed.IsCancellationRequested || ex is ChargePointDisconnectedException)
        {
            EndpointLog.ObserverStopped(logger, connection.ChargePointId);
        }
        catch (Exception ex)
        {
            EndpointLog.ObserverFailed(logger, ex, connection.ChargePointId);
        }
    }

    /// <summary>The identity is the last segment of the path, URL-decoded.</summary>
    internal static string? ReadIdentity(HttpContext http)
    {
        string raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? string.Empty;
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        string segment = raw[(raw.LastIndexOf('/') + 1)..];
        string identity;
        try
        {
            identity = Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return null;
        }

        return IsValidIdentity(identity) ? identity : null;
    }

    public static bool IsValidIdentity(string identity) =>
        identity.Length is > 0 and <= MaxIdentityLength && !identity.Any(char.IsControl);

    private static BasicCredentials? ReadBasicCredentials(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header["Basic ".Length..].Trim());
        }
        catch (FormatException)
        {
            return null;
        }

        int colon = Array.IndexOf(decoded, (byte)':');
        if (colon < 0)
        {
            return null;
        }

        return new BasicCredentials(Encoding.UTF8.GetString(decoded, 0, colon), decoded[(colon + 1)..]);
    }
}

/// <summary>
/// The handshake and lifetime of a connection: event ids 1050-1099 (1000-1049 are <see cref="ConnectionLog"/>'s); a
/// security event takes its id from the 2000s, with the other security events.
/// </summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 1050, Level = LogLevel.Information, Message = "Refusing {ChargePointId}: subprotocol {SubProtocol} not offered")]
    public static partial void SubProtocolNotOffered(ILogger logger, string chargePointId, string subProtocol);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Debug, Message = "Refused socket of {ChargePointId} did not close cleanly")]
    public static partial void RefusedCloseNotClean(ILogger logger, string chargePointId);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Warning, Message = "Refusing {ChargePointId}: {Count} charge points connected, the limit")]
    public static partial void ConnectionLimitReached(ILogger logger, string chargePointId, int count);

    [LoggerMessage(EventId = 1053, Level = LogLevel.Information, Message = "{ChargePointId} reconnected: closing its previous connection")]
    public static partial void Reconnected(ILogger logger, string chargePointId);

    [LoggerMessage(EventId = 1054, Level = LogLevel.Information, Message = "{ChargePointId} connected from {RemoteAddress}")]
    public static partial void Connected(ILogger logger, string chargePointId, string? remoteAddress);

    [LoggerMessage(EventId = 1055, Level = LogLevel.Information, Message = "{ChargePointId} has a newer connection on another node: closing this one")]
    public static partial void NewerConnectionElsewhere(ILogger logger, string chargePointId);

    [LoggerMessage(EventId = 1056, Level = LogLevel.Information, Message = "{ChargePointId} disconnected")]
    public static partial void Disconnected(ILogger logger, string chargePointId);

    [LoggerMessage(EventId = 1057, Level = LogLevel.Debug, Message = "Connection observer for {ChargePointId} stopped: connection closed")]
    public static partial void ObserverStopped(ILogger logger, string chargePointId);

    [LoggerMessage(EventId = 1058, Level = LogLevel.Error, Message = "Connection observer for {ChargePointId} failed")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string chargePointId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Security event: {ChargePointId} lost its admission during the handshake; closing")]
    public static partial void AdmissionLost(ILogger logger, string chargePointId);
}
