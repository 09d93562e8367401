using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OcppServer.Authorization;
using OcppServer.Authorization.Biometrics;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.PreVerification;
using OcppServer.ChargePoints;
using OcppServer.Registry;
using OcppServer.Storage.Sql;

namespace OcppServer.Benchmarks;

/// <summary>
/// 1:N identification over N enrolled templates, and the full layered decision (all three factors present), measured
/// on the server's real services over a real SQLite database in a temporary folder.
/// </summary>
public static class BiometricBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int templates = Option(args, "--templates", 10_000);
        int iterations = Option(args, "--iterations", 2_000);
        string dataDirectory = Path.Combine(Path.GetTempPath(), "ocppauth-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var app = OcppServer.OcppServerApp.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = dataDirectory,
                ["Logging:LogLevel:Default"] = "Warning",
            }));
            await OcppServer.OcppServerApp.PrepareAsync(app, CancellationToken.None);
            var services = app.Services;
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BiometricOptions>>().Value;

            Console.WriteLine($"Enrolling {templates} templates of {options.TemplateDimension} values (encrypted at rest)...");
            var people = await EnrolAsync(services, templates, options.TemplateDimension);
            var gallery = services.GetRequiredService<TemplateGallery>();
            var matcher = services.GetRequiredService<BiometricMatcher>();
            await gallery.CountAsync(CancellationToken.None); // load and decrypt once, as the server does on first use

            var random = new Random(42);
            var identify = new LatencyStats($"1:N identification ({templates} templates)");
            await identify.MeasureAsync(iterations, async i =>
            {
                var probe = Sample(people[random.Next(people.Count)].Template, random);
                var match = await matcher.MatchAsync(probe, 0.8, CancellationToken.None);
                if (!match.Matched)
                {
                    throw new InvalidOperationException("a genuine sample did not match");
                }
            });

            var decision = await MeasureDecisionsAsync(services, people, iterations, random);

            Console.WriteLine();
            Console.WriteLine(LatencyStats.Header());
            Console.WriteLine(identify.Row());
            foreach (var stats in decision)
            {
                Console.WriteLine(stats.Row());
            }

            await app.DisposeAsync();
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // temp folder; nothing to keep
            }
        }
    }

    private static async Task<IReadOnlyList<LatencyStats>> MeasureDecisionsAsync(
        IServiceProvider services, IReadOnlyList<(string DriverId, float[] Template)> people, int iterations, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var stations = services.GetRequiredService<SqlStationStore>();
        var chargePoints = services.GetRequiredService<SqlChargePointStore>();
        var readers = services.GetRequiredService<SqlBiometricReaderStore>();
        var vehicles = services.GetRequiredService<SqlVehicleStore>();
        var drivers = services.GetRequiredService<SqlDriverStore>();
        await stations.InsertAsync(new StationRecord { Id = "BENCH", Name = "Bench", CreatedAt = now }, CancellationToken.None);
        await chargePoints.RegisterAsync(new NewChargePoint("BENCH-CP", "BENCH", "Accepted", null, false), now, CancellationToken.None);
        using var readerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await readers.UpsertAsync(new BiometricReaderRecord
        {
            ChargePointId = "BENCH-CP", KeyId = "bench-reader", PublicKeyPem = readerKey.ExportSubjectPublicKeyInfoPem(), UpdatedAt = now,
        }, CancellationToken.None);

        var tokens = services.GetRequiredService<BiometricTokenService>();
        var vins = services.GetRequiredService<VehicleIdentificationService>();
        var recorder = services.GetRequiredService<PreVerificationRecorder>();
        var authorization = services.GetRequiredService<IAuthorizationService>();
        var tokenStats = new LatencyStats("BiometricToken: verify ES256 + 1:N + store");
        var decisionStats = new LatencyStats("Authorize: full three-factor decision");
        for (int i = 0; i < iterations; i++)
        {
            var (driverId, template) = people[i % people.Count];
            string idTag = (await drivers.GetIdTagsAsync(driverId, CancellationToken.None))[0];
            string vin = Vin(i);
            string plate = $"B{i:0000000}";
            await vehicles.InsertAsync(new VehicleRecord { Id = $"veh-{i}", Vin = vin, Plate = plate, OwnerDriverId = driverId, CreatedAt = now }, [], CancellationToken.None);
            await recorder.RecordAsync(new PlateObservation("BENCH", "Attendant", null, plate, 1, now, []), CancellationToken.None);
            await vins.RecordAsync("BENCH-CP", new VinReport(1, vin, null, null), transfer: null, CancellationToken.None);
            string token = Sign(readerKey, Sample(template, random), DateTimeOffset.UtcNow);

            await tokenStats.MeasureAsync(1, async _ =>
            {
                var outcome = await tokens.ProcessAsync("BENCH-CP", 1, token, transfer: null, CancellationToken.None);
                if (!outcome.Matched)
                {
                    throw new InvalidOperationException($"token not matched: {outcome.Reason}");
                }
            });
            await decisionStats.MeasureAsync(1, async _ =>
            {
                var result = await authorization.AuthorizeAsync(new AuthorizationRequest(AuthorizationPhase.Authorize, "BENCH-CP", null, idTag), CancellationToken.None);
                if (!result.IsAccepted)
                {
                    throw new InvalidOperationException($"decision refused: {result.Reason}");
                }
            });
        }

        return [tokenStats, decisionStats];
    }

    private static async Task<List<(string DriverId, float[] Template)>> EnrolAsync(IServiceProvider services, int count, int dimension)
    {
        var drivers = services.GetRequiredService<SqlDriverStore>();
        var protector = services.GetRequiredService<TemplateProtector>();
        var random = new Random(7);
        var people = new List<(string, float[])>(count);
        var now = DateTimeOffset.UtcNow;
        for (int i = 0; i < count; i++)
        {
            string driverId = $"drv-{i}";
            float[] template = Enumerable.Range(0, dimension).Select(_ => (float)Gaussian(random)).ToArray();
            await drivers.InsertAsync(new DriverRecord { Id = driverId, Name = driverId, CreatedAt = now }, [$"TAG{i}"], CancellationToken.None);
            string templateId = $"bio-{i}";
            var (nonce, ciphertext, tag) = protector.Encrypt(templateId, driverId, template);
            await drivers.InsertTemplateAsync(new BiometricTemplateRecord
            {
                Id = templateId, DriverId = driverId, Modality = "face", Dimension = dimension, Nonce = nonce, Ciphertext = ciphertext, Tag = tag, CreatedAt = now,
            }, CancellationToken.None);
            people.Add((driverId, template));
        }

        return people;
    }

    private static string Sign(ECDsa key, float[] template, DateTimeOffset now)
    {
        string header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", kid = "bench-reader" }));
        string payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new
        {
            cp = "BENCH-CP", connectorId = 1, iat = now.ToUnixTimeSeconds(), exp = now.AddMinutes(2).ToUnixTimeSeconds(),
            jti = Guid.NewGuid().ToString("N"), mod = "face", tpl = Base64Url.EncodeToString(TemplateCodec.ToLittleEndianBytes(template)), liveness = 0.97,
        }));
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Vin(int i)
    {
        string vin = $"WBA{i:00000000}X{i % 100000:000000}"[..17].Replace('O', '0').Replace('I', '1').Replace('Q', '0');
        return vin[..8] + VinValidator.ComputeCheckDigit(vin) + vin[9..];
    }

    private static float[] Sample(float[] enrolled, Random random) => enrolled.Select(v => (float)(v + 0.15 * Gaussian(random))).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
    }
}
