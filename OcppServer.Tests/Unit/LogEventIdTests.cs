using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Framing;
using OcppServer.Ocpp.Validation;
using OcppServer.Tests.Infrastructure;
using OcppServer.Tests.Vision;

namespace OcppServer.Tests.Unit;

/// <summary>
/// The server's log events have stable, distinct ids, one range per area (an operator's alert can name them); the
/// per-message and per-connection paths of the OCPP transport, dispatcher and handlers log through source-generated
/// [LoggerMessage] methods only.
/// </summary>
public sealed partial class LogEventIdTests
{
    /// <summary>The ranges of the event ids, by the class that declares them.</summary>
    private static readonly Dictionary<string, (int First, int Last)[]> Ranges = new(StringComparer.Ordinal)
    {
        ["ConnectionLog"] = [(1000, 1049)],
        ["EndpointLog"] = [(1050, 1099), (2000, 2099)],
        ["DispatchLog"] = [(1100, 1199)],
        ["HandlerLog"] = [(1200, 1299)],
    };

    private static IEnumerable<(MethodInfo Method, LoggerMessageAttribute Attribute)> LoggerMessages() =>
        typeof(OcppCallDispatcher).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()!))
            .Where(m => m.Attribute is not null);

    [Test]
    public void Every_event_id_is_used_once()
    {
        var numbered = LoggerMessages().Where(m => m.Attribute.EventId > 0).ToList();
        Assert.That(numbered, Has.Count.GreaterThan(20));
        var duplicates = numbered.GroupBy(m => m.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name}"))}");
        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void The_OCPP_events_are_numbered_within_their_area()
    {
        var ocpp = LoggerMessages().Where(m => Ranges.ContainsKey(m.Method.DeclaringType!.Name)).ToList();
        Assert.That(ocpp.Select(m => m.Method.DeclaringType!.Name).Distinct(), Is.EquivalentTo(Ranges.Keys));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (method, attribute) in ocpp)
            {
                var ranges = Ranges[method.DeclaringType!.Name];
                Assert.That(ranges.Any(r => attribute.EventId >= r.First && attribute.EventId <= r.Last), Is.True,
                    $"{method.DeclaringType.Name}.{method.Name}: event id {attribute.EventId} outside {string.Join(", ", ranges.Select(r => $"{r.First}-{r.Last}"))}");
            }
        }
    }

    [Test]
    public void The_OCPP_transport_dispatcher_and_handlers_log_only_through_LoggerMessage_methods()
    {
        var root = VisionTestReader.RepositoryRoot();
        if (root is null)
        {
            Assert.Ignore("The sources are not beside the test assembly");
        }

        string[] folders = ["OcppServer/Ocpp", "OcppServer/Handlers"];
        var calls = folders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root.FullName, f), "*.cs", SearchOption.AllDirectories))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => ExtensionLogCall().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(root.FullName, l.file)}:{l.number}: {l.line.Trim()}");
        Assert.That(calls, Is.Empty, "use a [LoggerMessage] method (DispatchLog, ConnectionLog, EndpointLog, HandlerLog)");
    }

    [Test]
    public async Task A_call_answered_with_an_error_is_logged_as_event_1103_with_its_properties()
    {
        var logger = new CapturingLogger<OcppCallDispatcher>();
        var dispatcher = new OcppCallDispatcher([], new OcppSchemaValidator(), Options.Create(new OcppOptions()), logger);
        using var socket = WebSocket.CreateFromStream(Stream.Null, new WebSocketCreationOptions { IsServer = true });
        var connection = new ChargePointConnection("CP-LOG", socket, "127.0.0.1", dispatcher, null, new OcppOptions(), TimeProvider.System, NullLogger.Instance);
        using var payload = JsonDocument.Parse("{}");

        var reply = await dispatcher.DispatchAsync(connection, new OcppCall("u1", "NoSuchAction", payload.RootElement), CancellationToken.None);

        Assert.That(System.Text.Encoding.UTF8.GetString(reply.Frame), Does.StartWith("""[4,"u1","NotImplemented","""));
        var entry = logger.Events.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventId.Id, Is.EqualTo(1103));
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(entry.Message, Is.EqualTo("Answering NoSuchAction u1 with NotImplemented: Unknown action NoSuchAction"));
            Assert.That(entry.Properties["Action"], Is.EqualTo("NoSuchAction"));
            Assert.That(entry.Properties["UniqueId"], Is.EqualTo("u1"));
            Assert.That(entry.Properties["ErrorCode"], Is.EqualTo("NotImplemented"));
            Assert.That(entry.Properties["{OriginalFormat}"], Is.EqualTo("Answering {Action} {UniqueId} with {ErrorCode}: {Description}"));
        }
    }

    /// <summary>An ILogger extension call: logger.LogInformation(...), _logger.LogError(...), logger.Log(...).</summary>
    [GeneratedRegex(@"[lL]ogger\??\.Log(Trace|Debug|Information|Warning|Error|Critical)?\(")]
    private static partial Regex ExtensionLogCall();
}
