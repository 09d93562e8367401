using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OcppServer.Benchmarks;

/// <summary>
/// The floor under the server's figures: Kestrel and its WebSockets with the server's transport settings, answering
/// every OCPP CALL with a minimal CALLRESULT and nothing else (no validation, storage, authorization or logging). The
/// simulator's <c>load --no-register</c> against it measures what the transport alone costs in CPU, latency and memory.
/// </summary>
internal static class TransportFloorServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string urls = args.Length == 2 && args[0] == "--urls" ? args[1]
            : args.Length == 0 ? "http://127.0.0.1:8190"
            : throw new ArgumentException("usage: transport-floor [--urls http://127.0.0.1:8190]");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        TransportOptions.Apply(builder);
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ocpp/{id}", AnswerAsync);
        Console.WriteLine($"transport floor listening on {urls}/ocpp/{{id}} (pid {Environment.ProcessId}); Ctrl+C stops");
        await app.RunAsync();
        return 0;
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync("ocpp1.6");
        var buffer = new byte[2048];
        var reply = new ArrayBufferWriter<byte>(256);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                    return;
                }

                if (received.EndOfMessage && TryReadCall(buffer.AsSpan(0, received.Count), out string uniqueId, out string action))
                {
                    reply.ResetWrittenCount();
                    WriteResult(reply, uniqueId, action);
                    await socket.SendAsync(reply.WrittenMemory, WebSocketMessageType.Text, true, context.RequestAborted);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The load generator went away.
        }
    }

    private static bool TryReadCall(ReadOnlySpan<byte> frame, out string uniqueId, out string action)
    {
        uniqueId = action = string.Empty;
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number
            || !reader.TryGetInt32(out int type) || type != 2 || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        uniqueId = reader.GetString()!;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        action = reader.GetString()!;
        return true;
    }

    private static void WriteResult(IBufferWriter<byte> output, string uniqueId, string action)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        writer.WriteNumberValue(3);
        writer.WriteStringValue(uniqueId);
        writer.WriteStartObject();
        switch (action)
        {
            case "BootNotification":
                writer.WriteString("status", "Accepted");
                writer.WriteString("currentTime", DateTimeOffset.UtcNow);
                writer.WriteNumber("interval", 300);
                break;
            case "Heartbeat":
                writer.WriteString("currentTime", DateTimeOffset.UtcNow);
                break;
            case "Authorize":
                writer.WriteStartObject("idTagInfo");
                writer.WriteString("status", "Accepted");
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
