using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Authorization;
using OcppServer.Authorization.Biometrics;
using OcppServer.Registry;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Unit;

/// <summary>Matching and template protection over a real (temporary) SQLite database.</summary>
public sealed class BiometricMatcherTests
{
    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private SqlDriverStore _drivers = null!;
    private TemplateProtector _protector = null!;
    private TemplateGallery _gallery = null!;
    private BiometricMatcher _matcher = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        _drivers = new SqlDriverStore(_database);
        _protector = new TemplateProtector(Options.Create(new BiometricOptions()), Options.Create(new StorageOptions { DataDirectory = _temporary.DirectoryPath }), NullLogger<TemplateProtector>.Instance);
        _gallery = new TemplateGallery(_drivers, _protector);
        _matcher = new BiometricMatcher(_gallery, new StaticOptions<BiometricOptions>(new BiometricOptions { IdentificationMargin = 0.05 }));
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task One_to_many_identifies_the_enrolled_driver()
    {
        await EnrolAsync("alice", TestBiometricReader.Person(10));
        await EnrolAsync("bob", TestBiometricReader.Person(11));
        var result = await _matcher.MatchAsync(TestBiometricReader.Sample(TestBiometricReader.Person(11), 99), 0.8, CancellationToken.None);
        Assert.That(result.Matched, Is.True);
        Assert.That(result.DriverId, Is.EqualTo("bob"));
        Assert.That(result.Similarity, Is.GreaterThan(0.8));
    }

    [Test]
    public async Task An_impostor_matches_nobody()
    {
        await EnrolAsync("alice", TestBiometricReader.Person(10));
        var result = await _matcher.MatchAsync(TestBiometricReader.Person(12), 0.8, CancellationToken.None);
        Assert.That(result.Matched, Is.False);
        Assert.That(result.Reason, Is.EqualTo("NoMatch"));
    }

    [Test]
    public async Task Two_drivers_too_close_to_tell_apart_are_ambiguous()
    {
        float[] face = TestBiometricReader.Person(20);
        await EnrolAsync("twin-a", TestBiometricReader.Sample(face, 1, noise: 0.01));
        await EnrolAsync("twin-b", TestBiometricReader.Sample(face, 2, noise: 0.01));
        var result = await _matcher.MatchAsync(face, 0.8, CancellationToken.None);
        Assert.That(result.Reason, Is.EqualTo("Ambiguous"));
        Assert.That(result.Matched, Is.False, "no claim lets one twin pass for the other: identification needs the margin");
    }

    [Test]
    public async Task A_look_alike_is_identified_as_themselves_though_they_clear_the_threshold_against_another()
    {
        float[] victim = TestBiometricReader.Person(10);
        float[] lookAlike = Blend(victim, TestBiometricReader.Person(11), 0.65);
        await EnrolAsync("victim", victim);
        await EnrolAsync("look-alike", lookAlike);
        float[] probe = TestBiometricReader.Sample(lookAlike, 5, noise: 0.05);

        var result = await _matcher.MatchAsync(probe, 0.8, CancellationToken.None);

        Assert.That(Cosine(probe, victim), Is.GreaterThanOrEqualTo(0.8), "the probe would pass a 1:1 check against the victim");
        Assert.That(result.DriverId, Is.EqualTo("look-alike"));
        Assert.That(result.RunnerUp, Is.GreaterThanOrEqualTo(0.8));
    }

    private static float[] Blend(float[] a, float[] b, double weightOfA) =>
        a.Zip(b, (x, y) => (float)(weightOfA * x + (1 - weightOfA) * y)).ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    [Test]
    public async Task Templates_are_encrypted_at_rest_and_bound_to_their_driver()
    {
        float[] template = TestBiometricReader.Person(30);
        await EnrolAsync("carol", template);
        var row = (await _drivers.GetAllTemplatesAsync(CancellationToken.None)).Single();
        byte[] plaintext = TemplateCodec.ToLittleEndianBytes(template);
        Assert.That(row.Ciphertext, Is.Not.EqualTo(plaintext));
        Assert.That(File.ReadAllBytes(_database.DatabasePath).AsSpan().IndexOf(plaintext.AsSpan(0, 16)), Is.EqualTo(-1), "no plaintext in the database file");
        Assert.That(_protector.Decrypt(row.Id, "carol", row.Nonce, row.Ciphertext, row.Tag), Is.EqualTo(template));
        Assert.That(() => _protector.Decrypt(row.Id, "mallory", row.Nonce, row.Ciphertext, row.Tag),
            Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());

        string keyFile = Path.Combine(_temporary.DirectoryPath, "keys", "biometric-template.key");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task The_gallery_reloads_encrypted_templates_after_a_restart()
    {
        await EnrolAsync("dave", TestBiometricReader.Person(40));
        var restarted = new TemplateGallery(_drivers, new TemplateProtector(Options.Create(new BiometricOptions()), Options.Create(new StorageOptions { DataDirectory = _temporary.DirectoryPath }), NullLogger<TemplateProtector>.Instance));
        var scores = await restarted.IdentifyAsync(TemplateCodec.Normalize(TestBiometricReader.Person(40))!, CancellationToken.None);
        Assert.That(scores.BestDriverId, Is.EqualTo("dave"));
        Assert.That(scores.Best, Is.EqualTo(1.0).Within(1e-5));
    }

    private async Task EnrolAsync(string driverId, float[] template)
    {
        if (await _drivers.GetAsync(driverId, CancellationToken.None) is null)
        {
            await _drivers.InsertAsync(new DriverRecord { Id = driverId, Name = driverId, CreatedAt = DateTimeOffset.UtcNow }, [], CancellationToken.None);
        }

        string id = "bio_" + Guid.NewGuid().ToString("N");
        var (nonce, ciphertext, tag) = _protector.Encrypt(id, driverId, template);
        await _drivers.InsertTemplateAsync(new BiometricTemplateRecord
        {
            Id = id, DriverId = driverId, Modality = "face", Dimension = template.Length, Nonce = nonce, Ciphertext = ciphertext, Tag = tag,
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        await _gallery.AddAsync(driverId, TemplateCodec.Normalize(template)!, CancellationToken.None);
    }
}

/// <summary>An <see cref="IOptionsMonitor{T}"/> with a fixed value, for constructing services in unit tests.</summary>
public sealed class StaticOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
