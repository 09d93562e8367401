using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using OcppServer.Security;

namespace OcppServer;

/// <summary>
/// Makes a refused TLS handshake visible: Kestrel refuses a client that offers only a protocol version or cipher suites
/// the server does not allow (or aborts on our certificate) and says so only at Debug level. This logging provider
/// listens to exactly that (Kestrel's HTTPS category, at Debug, whatever the console shows), and turns it into a warning
/// naming the client's address and a security event (<see cref="SecurityEventTypes.InvalidTlsHandshake"/>). A connection
/// closed before saying anything (a port probe) is not an event. Addresses are kept per connection id by a connection
/// middleware on every endpoint while the connection lasts.
/// </summary>
public sealed partial class TlsHandshakeFailures(IServiceProvider services) : ILoggerProvider, ISupportExternalScope
{
    /// <summary>Kestrel's HTTPS middleware logs its handshake failures under this category.</summary>
    public const string KestrelHttpsCategory = "Microsoft.AspNetCore.Server.Kestrel.Https";

    private readonly ConcurrentDictionary<string, EndPoint?> _remoteEndPoints = new(StringComparer.Ordinal);
    private IExternalScopeProvider? _scopes;

    internal static void Apply(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TlsHandshakeFailures>();
        builder.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<TlsHandshakeFailures>());
        builder.Logging.AddFilter<TlsHandshakeFailures>(KestrelHttpsCategory, LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
        {
            var failures = kestrel.ApplicationServices.GetRequiredService<TlsHandshakeFailures>();
            failures._remoteEndPoints[connection.ConnectionId] = connection.RemoteEndPoint;
            try
            {
                await next(connection);
            }
            finally
            {
                failures._remoteEndPoints.TryRemove(connection.ConnectionId, out _);
            }
        })));
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(KestrelHttpsCategory, StringComparison.Ordinal) ? new HandshakeLogger(this) : NoLogger.Instance;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void OnHandshakeFailed(Exception? exception)
    {
        // The TCP connection ended before a ClientHello: a port probe or a dropped client, not a refused handshake.
        if (exception is IOException { InnerException: null } && exception.Message.Contains("EOF", StringComparison.Ordinal))
        {
            return;
        }

        string? connectionId = null;
        _scopes?.ForEachScope(
            (scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "ConnectionId").Value is string id)
                {
                    connectionId = id;
                }
            },
            (object?)null);
        string? remote = connectionId is not null && _remoteEndPoints.TryGetValue(connectionId, out var endPoint)
            ? (endPoint as IPEndPoint)?.Address.ToString() ?? endPoint?.ToString()
            : null;
        string reason = Describe(exception);
        LogRefused(services.GetRequiredService<ILogger<TlsHandshakeFailures>>(), remote ?? "-", reason);
        services.GetRequiredService<ISecurityEventLog>().Raise(new SecurityEvent(
            null, SecurityEventSource.CentralSystem, SecurityEventTypes.InvalidTlsHandshake, services.GetRequiredService<TimeProvider>().GetUtcNow(),
            "TLS handshake refused: " + reason, remote));
    }

    private static string Describe(Exception? exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null && messages.Count < 3; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        string text = messages.Count == 0 ? "timed out" : string.Join(" / ", messages);
        return text.Length <= 200 ? text : text[..200];
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Security event: TLS handshake from {RemoteAddress} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string remoteAddress, string reason);

    private sealed class HandshakeLogger(TlsHandshakeFailures owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is "AuthenticationFailed" or "AuthenticationTimedOut")
            {
                owner.OnHandshakeFailed(exception);
            }
        }
    }

    private sealed class NoLogger : ILogger
    {
        public static NoLogger Instance { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
