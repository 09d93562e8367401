using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OcppServer.Storage;
using OcppServer.Storage.PostgreSql;

namespace OcppServer.Tests.Storage;

/// <summary><c>Storage:Provider</c> picks the engine and its migrations; a provider that cannot work stops the start.</summary>
public sealed class StorageServiceCollectionExtensionsTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "ocppauth-unit", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task Without_a_provider_the_database_is_sqlite_with_its_migrations()
    {
        await using var services = Build(new() { ["Storage:DataDirectory"] = _directory });

        ValidateAtStart(services);
        Assert.That(services.GetRequiredService<IRelationalDatabase>(), Is.InstanceOf<SqliteDatabase>());
        Assert.That(services.GetRequiredService<IMigrationRunner>(), Is.InstanceOf<MigrationRunner>());
        Assert.That(services.GetRequiredService<IRelationalDatabase>(), Is.SameAs(services.GetRequiredService<SqliteDatabase>()));
    }

    [Test]
    public async Task Provider_postgresql_with_a_connection_string_is_postgresql_with_its_migrations_and_sqlite_is_never_made()
    {
        await using var services = Build(new()
        {
            ["Storage:DataDirectory"] = _directory,
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = "Host=/nonexistent;Database=ocppauth;Username=ocppauth",
        });

        ValidateAtStart(services);
        Assert.That(services.GetRequiredService<IRelationalDatabase>(), Is.InstanceOf<PostgreSqlDatabase>());
        Assert.That(services.GetRequiredService<IMigrationRunner>(), Is.InstanceOf<PostgreSqlMigrationRunner>());
        Assert.That(Directory.Exists(_directory), Is.False, "no SQLite file or folder was made");
    }

    [TestCase(null)]
    [TestCase("   ")]
    public async Task Provider_postgresql_without_a_connection_string_fails_at_start_with_a_clear_message(string? connectionString)
    {
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _directory, ["Storage:Provider"] = "PostgreSql" };
        if (connectionString is not null)
        {
            settings["Storage:PostgreSql:ConnectionString"] = connectionString;
        }

        await using var services = Build(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => ValidateAtStart(services));
        Assert.That(failure!.Message, Does.Contain("Storage:PostgreSql:ConnectionString is not set"));
        Assert.That(() => services.GetRequiredService<IRelationalDatabase>(), Throws.InstanceOf<OptionsValidationException>(),
            "never falls back to SQLite");
    }

    [Test]
    public async Task A_connection_string_that_is_not_one_fails_at_start_without_showing_it()
    {
        await using var services = Build(new()
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = "Host=db;Password=hunter2;Colour=blue",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => ValidateAtStart(services));
        Assert.That(failure!.Message, Does.Contain("not a valid Npgsql connection string"));
        Assert.That(failure.Message, Does.Not.Contain("hunter2"));
    }

    [TestCase("0")]
    [TestCase("-3")]
    [TestCase("5000")]
    public async Task A_worker_count_out_of_range_fails_at_start(string workers)
    {
        await using var services = Build(new()
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = "Host=db;Database=ocppauth",
            ["Storage:PostgreSql:Workers"] = workers,
        });

        var failure = Assert.Throws<OptionsValidationException>(() => ValidateAtStart(services));
        Assert.That(failure!.Message, Does.Contain("Storage:PostgreSql:Workers must be between 1 and 1024"));
    }

    [TestCase("Oracle")]
    [TestCase("7")]
    public async Task An_unknown_provider_fails_at_start(string provider)
    {
        await using var services = Build(new() { ["Storage:DataDirectory"] = _directory, ["Storage:Provider"] = provider });

        var failure = Assert.Catch(() => ValidateAtStart(services));
        Assert.That(failure!.Message, Does.Contain("Storage:Provider"), failure.Message);
        Assert.That(() => services.GetRequiredService<IRelationalDatabase>(), Throws.Exception, "never falls back to SQLite");
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRelationalDatabase(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    // What the host does before it starts anything: runs the validation of every ValidateOnStart options.
    private static void ValidateAtStart(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}
