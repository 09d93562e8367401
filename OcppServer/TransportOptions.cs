namespace OcppServer;

/// <summary>How socket I/O is scheduled (section <c>Transport</c>).</summary>
public sealed class TransportOptions
{
    public const string Section = "Transport";

    /// <summary>
    /// Run the work that follows a socket read on the thread that polled the socket, instead of handing it to a
    /// thread-pool thread twice (the socket engine's and Kestrel's queues). Measured on 2 cores with the journey load:
    /// server CPU per journey 4.6 -> 3.5 ms, because every hand-off is a thread wake-up. The price: nothing on the request
    /// path may block for long, so CPU-heavy work (password hashing, plate reading) runs on the thread pool. Nor may it block
    /// on another socket: a synchronous read on a socket of the same engine waits for an event only the blocked thread
    /// would deliver (a hang), which is why PostgreSQL's synchronous queries run on the thread pool (PostgreSqlDatabase).
    /// The setting takes effect only where it is applied before the process's first socket: an in-process test server
    /// runs without it, a server process with it.
    /// </summary>
    public bool InlineIo { get; set; } = true;

    /// <summary>Applies <see cref="InlineIo"/>; must run before the first socket of the process is created.</summary>
    internal static void Apply(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(Section).Get<TransportOptions>() ?? new TransportOptions();
        if (!options.InlineIo)
        {
            return;
        }

        // Read once by System.Net.Sockets when its first socket engine starts; an explicit setting is kept.
        const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }

        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
    }
}
