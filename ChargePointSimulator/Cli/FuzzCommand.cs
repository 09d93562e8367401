using System.CommandLine;
using System.Security.Cryptography;
using ChargePointSimulator.Fuzz;

namespace ChargePointSimulator.Cli;

/// <summary>
/// <c>fuzz</c>: registers a charge point through the API, then sends it N mutated OCPP-J frames over one WebSocket
/// (<see cref="FrameFuzzer"/>) and prints the report. Exit code 0 only when every frame was answered as it must be.
/// Loopback servers only, unless told otherwise: the frames are hostile by design.
/// </summary>
public static class FuzzCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Server base URL (API and OCPP), http:// or https://", DefaultValueFactory = _ => "http://127.0.0.1:8180" };
        var apiKey = ApiKeyOption.Create("Operator API key (X-Api-Key) used to register the fuzzer's charge point");
        var frames = new Option<int>("--frames", "-n") { Description = "Fuzzed frames to send", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generator: the same seed sends the same frames", DefaultValueFactory = _ => 1 };
        var id = new Option<string?>("--id") { Description = "Charge point identity (default FUZZ-{seed}-{random})" };
        var password = new Option<string?>("--password") { Description = "Basic-auth password (default: a random one, registered with the charge point)" };
        var noRegister = new Option<bool>("--no-register") { Description = "The charge point is registered already (give --id, and --password if it has one)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds each answer (and each expected close) may take", DefaultValueFactory = _ => 5 };
        var maxFrame = new Option<int>("--max-frame-bytes") { Description = "The server's Ocpp:MaxFrameBytes", DefaultValueFactory = _ => 65536 };
        var maxDiscarded = new Option<int>("--max-discarded-frame-bytes") { Description = "The server's Ocpp:MaxDiscardedFrameBytes", DefaultValueFactory = _ => 1 << 20 };
        var noBeyond = new Option<bool>("--no-beyond-discard-limit") { Description = "Send no frame beyond the discard limit (each closes the connection with 1009)" };
        var show = new Option<int>("--show-failures") { Description = "Failures printed in full", DefaultValueFactory = _ => 5 };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a server that is not on a loopback address" };
        var allowInternalError = new Option<bool>("--allow-internal-error") { Description = "Accept InternalError where any answer would do (by default it is a failure: the server failed on the frame)" };
        var showCase = new Option<int[]>("--show-case") { Description = "Print these cases of the seed (index as in a report: #N) with their expected outcome, and send nothing", AllowMultipleArgumentsPerToken = true };

        var command = new Command("fuzz", "Send mutated OCPP-J frames to a server and check every answer (id, error code, time, connection still usable)")
        {
            url, apiKey, frames, seed, id, password, noRegister, timeout, maxFrame, maxDiscarded, noBeyond, show, allowRemote, allowInternalError, showCase,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var limits = new FuzzLimits
            {
                MaxFrameBytes = parse.GetValue(maxFrame),
                MaxDiscardedFrameBytes = parse.GetValue(maxDiscarded),
                BeyondDiscardLimit = !parse.GetValue(noBeyond),
            };
            if (parse.GetValue(showCase) is { Length: > 0 } shown)
            {
                await ShowCasesAsync(parse.GetValue(seed), limits, shown, output);
                return 0;
            }

            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            {
                await output.WriteLineAsync($"--url must be an absolute http:// or https:// URL, not '{parse.GetValue(url)}'");
                return 2;
            }

            if (!parse.GetValue(allowRemote) && !await EndpointGuard.IsLoopbackAsync(server, cancellationToken))
            {
                await output.WriteLineAsync($"{server.Host} is not a loopback address; the fuzzer sends hostile frames: pass --allow-remote if you mean it");
                return 2;
            }

            if (parse.GetValue(frames) < 1 || parse.GetValue(timeout) <= 0)
            {
                await output.WriteLineAsync("--frames and --timeout must be positive");
                return 2;
            }

            bool register = !parse.GetValue(noRegister);
            string chargePointId = parse.GetValue(id) ?? $"FUZZ-{parse.GetValue(seed)}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}";
            string? secret = parse.GetValue(password) ?? (register ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) : null);
            if (register)
            {
                if (parse.GetValue(apiKey) is not { } key)
                {
                    await output.WriteLineAsync($"The fuzzer registers its charge point through the API: pass --api-key or set {ApiKeyOption.EnvironmentVariable} (or --no-register)");
                    return 2;
                }

                try
                {
                    using var http = ChargePointRegistrar.CreateClient(server, key);
                    await new ChargePointRegistrar(http).RegisterAsync(chargePointId, secret, cancellationToken);
                }
                catch (HttpRequestException ex)
                {
                    await output.WriteLineAsync($"Registering {chargePointId} through the API failed: {ex.Message}");
                    return 2;
                }
            }

            var options = new FuzzOptions
            {
                Endpoint = new UriBuilder(server) { Scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/ocpp" }.Uri,
                ChargePointId = chargePointId,
                Password = secret,
                Frames = parse.GetValue(frames),
                Seed = parse.GetValue(seed),
                ReplyTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Limits = limits,
                ShownFailures = parse.GetValue(show),
                InternalErrorIsFailure = !parse.GetValue(allowInternalError),
                Progress = Console.Error,
            };
            await output.WriteLineAsync($"Fuzzing {options.Endpoint}/{chargePointId} with {options.Frames} frames, seed {options.Seed}");
            var report = await new FrameFuzzer(options).RunAsync(cancellationToken);
            await output.WriteAsync(report.ToText());
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    /// <summary>Regenerates cases of a seed (to look at a failing one again) without sending anything.</summary>
    private static async Task ShowCasesAsync(int seed, FuzzLimits limits, int[] indices, TextWriter output)
    {
        var generator = new FrameGenerator(seed, limits);
        for (int index = 0; index <= indices.Max(); index++)
        {
            var fuzzCase = generator.Next();
            if (indices.Contains(index))
            {
                await output.WriteLineAsync(fuzzCase.Describe());
                await output.WriteLineAsync($"    expected: {fuzzCase.Expected}");
                await output.WriteLineAsync($"    frame:    {FuzzText.Printable(fuzzCase.Bytes, int.MaxValue)}");
            }
        }
    }
}
