using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OcppServer.Storage.PostgreSql;

namespace OcppServer.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the database that <c>Storage:Provider</c> names (Sqlite by default, or PostgreSql) as
    /// <see cref="IRelationalDatabase"/>, and its engine's migrations as <see cref="IMigrationRunner"/>, with
    /// <see cref="StorageOptions"/> bound from <c>Storage</c> and validated at start: an unknown provider, or PostgreSql
    /// without <c>Storage:PostgreSql:ConnectionString</c>, stops the host before it serves anything. Only the chosen
    /// engine is ever constructed. Needs logging and a <see cref="TimeProvider"/> (the system clock unless one is registered).
    /// </summary>
    public static IServiceCollection AddRelationalDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<PostgreSqlDatabase>();
        services.TryAddSingleton<IRelationalDatabase>(sp => ProviderOf(sp) switch
        {
            StorageProvider.PostgreSql => sp.GetRequiredService<PostgreSqlDatabase>(),
            _ => sp.GetRequiredService<SqliteDatabase>(),
        });

        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<PostgreSqlMigrationRunner>();
        services.TryAddSingleton<IMigrationRunner>(sp => ProviderOf(sp) switch
        {
            StorageProvider.PostgreSql => sp.GetRequiredService<PostgreSqlMigrationRunner>(),
            _ => sp.GetRequiredService<MigrationRunner>(),
        });
        return services;
    }

    // Reading the options runs their validation: an invalid provider never falls through to the default.
    private static StorageProvider ProviderOf(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider;
}
