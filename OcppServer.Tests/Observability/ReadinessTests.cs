using System.Data.Common;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OcppServer.Storage;
using OcppServer.Storage.PostgreSql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Observability;

/// <summary>/readyz: ready while the database answers and the plate reader can read; /healthz only says the process lives.</summary>
public sealed class ReadinessTests
{
    [Test]
    public async Task Ready_when_the_database_answers_and_the_model_is_there()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };

        var report = (await ApiResponse.ReadAsync(await anonymous.GetAsync("/readyz"))).AssertStatus(HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            var plateReader = report.GetProperty("checks").GetProperty("plateReader");
            Assert.That(plateReader.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(plateReader.GetProperty("data").GetProperty("modelLoaded").ValueKind, Is.AnyOf(System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False));
        }
    }

    [Test]
    public async Task Not_ready_while_the_database_does_not_answer()
    {
        UnreachableDatabase? database = null;
        await using var server = await TestServer.StartAsync(services: services => services.AddSingleton<IRelationalDatabase>(sp =>
            database = new UnreachableDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.PostgreSql
                ? sp.GetRequiredService<PostgreSqlDatabase>()
                : sp.GetRequiredService<SqliteDatabase>())));
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };
        server.GetService<IRelationalDatabase>();
        database!.Unreachable = true;

        var response = await ApiResponse.ReadAsync(await anonymous.GetAsync("/readyz"));
        var live = await ApiResponse.ReadAsync(await anonymous.GetAsync("/healthz"));

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), response.Text);
        var report = response.Json;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(report.GetProperty("checks").GetProperty("plateReader").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK), "liveness does not depend on the database");
        }

        database.Unreachable = false;
        (await ApiResponse.ReadAsync(await anonymous.GetAsync("/readyz"))).AssertStatus(HttpStatusCode.OK);
    }

    /// <summary>The server's database, whose reads fail (as on a lost connection) while <see cref="Unreachable"/>.</summary>
    private sealed class UnreachableDatabase(IRelationalDatabase inner) : IRelationalDatabase
    {
        public volatile bool Unreachable;

        public RegistryCache Registry => inner.Registry;

        public Task<T> ReadAsync<T>(Func<DbConnection, T> query, CancellationToken cancellationToken) =>
            Unreachable ? Task.FromException<T>(new TimeoutException("The database does not answer")) : inner.ReadAsync(query, cancellationToken);

        public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken) => inner.WriteAsync(work, cancellationToken);

        public Task WriteAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken) => inner.WriteAsync(work, cancellationToken);

        public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
            inner.ExecuteAsync(sql, parameters, cancellationToken);

        public Task<T> ExecuteScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
            inner.ExecuteScalarAsync<T>(sql, parameters, cancellationToken);

        public bool IsUniqueViolation(DbException exception) => inner.IsUniqueViolation(exception);

        public string ForEngine(string sql) => inner.ForEngine(sql);
    }
}
