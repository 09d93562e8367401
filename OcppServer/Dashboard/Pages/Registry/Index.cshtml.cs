using OcppServer.Authorization;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry;

/// <summary>The registry's index: how many of each there are, with links to their pages.</summary>
public sealed class IndexModel(
    IStationStore stations, IDriverStore drivers, IVehicleStore vehicles, ICameraStore cameras, IBiometricReaderStore readers,
    IIdTagStore idTags, StationPolicyProvider policies) : DashboardPageModel
{
    public int Stations { get; private set; }

    public int WeakStations { get; private set; }

    public int Drivers { get; private set; }

    public int Vehicles { get; private set; }

    public int Cameras { get; private set; }

    public int Readers { get; private set; }

    public int IdTags { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await stations.ListAsync(cancellationToken);
        Stations = all.Count;
        WeakStations = all.Count(s => policies.Resolve(s.Policy).Risks().Count > 0);
        Drivers = await drivers.CountAsync(cancellationToken);
        Vehicles = await vehicles.CountAsync(cancellationToken);
        Cameras = (await cameras.ListAsync(null, cancellationToken)).Count;
        Readers = await readers.CountAsync(cancellationToken);
        IdTags = await idTags.CountAsync(cancellationToken);
    }
}
