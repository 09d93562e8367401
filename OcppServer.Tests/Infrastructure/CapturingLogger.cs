using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OcppServer.Tests.Infrastructure;

/// <summary>Keeps every message logged through it, for tests that check what a component tells the operator.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => _entries.Select(e => (e.Level, e.Message)).ToArray();

    /// <summary>Every entry with its event id and its structured properties (the message template's names).</summary>
    public IReadOnlyList<CapturedLogEntry> Events => _entries.ToArray();

    public IReadOnlyList<string> Warnings => _entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new CapturedLogEntry(
            logLevel,
            eventId,
            formatter(state, exception),
            state is IEnumerable<KeyValuePair<string, object?>> properties
                ? properties.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal),
            exception));
}

/// <summary>One entry of a <see cref="CapturingLogger{T}"/>.</summary>
public sealed record CapturedLogEntry(
    LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
