using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using OcppServer.Registry;

namespace OcppServer.Vision;

/// <summary>How close a format is to where the camera stands; <see cref="PlateFormatDecoder"/> gives each rank a prior.</summary>
public enum PlateFormatRank
{
    /// <summary>The station's own region (or, for a station without one, the configured default regions).</summary>
    Region = 0,

    /// <summary>A neighbour of the station's region: foreign cars that come by often.</summary>
    Neighbour = 1,

    /// <summary>The generic rule, tried last: vanity, old and far-away plates.</summary>
    Generic = 2,
}

/// <summary>A format with its rank in a station's order.</summary>
public sealed record RankedPlateFormat(PlateFormat Format, PlateFormatRank Rank);

/// <summary>
/// The formats a reading is decoded against, in order: <see cref="Region"/>'s formats, its neighbours' formats, then
/// the generic rule. <see cref="Region"/> is null when the order is the fallback for a station without a (known) region.
/// </summary>
public sealed record PlateFormatOrder(string? Region, IReadOnlyList<RankedPlateFormat> Formats)
{
    /// <summary>The same formats as a <see cref="PlateFormats"/> (for <see cref="PlateMatcher"/> and <see cref="PlateFormats.Fit"/>).</summary>
    public PlateFormats ToPlateFormats() => PlateFormats.Exactly(Formats.Select(f => f.Format).ToList());
}

/// <summary>
/// The format order of each region, from the <see cref="PlateFormatCatalogue"/> and
/// <see cref="VisionOptions.DefaultRegions"/>: a region's own formats, then those of its neighbours (in the order the
/// catalogue lists them), then the generic rule. Without a region (or with one the catalogue no longer has): the
/// default regions' formats then the generic rule, or, with no default regions configured, every format of the
/// catalogue then the generic rule. Computed once; immutable and thread-safe.
/// </summary>
public sealed class PlateFormatOrders
{
    private readonly FrozenDictionary<string, PlateFormatOrder> _byRegion;

    /// <exception cref="PlateFormatCatalogueException">A default region is not in the catalogue.</exception>
    public PlateFormatOrders(PlateFormatCatalogue catalogue, IOptions<VisionOptions> options)
        : this(catalogue, options.Value.DefaultRegions)
    {
    }

    /// <exception cref="PlateFormatCatalogueException">A default region is not in the catalogue.</exception>
    public PlateFormatOrders(PlateFormatCatalogue catalogue, IEnumerable<string> defaultRegions)
    {
        Catalogue = catalogue;
        var defaults = defaultRegions.Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        var unknown = defaults.Where(r => catalogue.Find(r.Trim()) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new PlateFormatCatalogueException(
                $"Vision:DefaultRegions names {string.Join(", ", unknown)}, not region(s) of the plate format catalogue (e.g. DE, US-CA).");
        }

        var generic = new RankedPlateFormat(catalogue.Generic, PlateFormatRank.Generic);
        Fallback = defaults.Count > 0
            ? new PlateFormatOrder(null, [.. defaults.SelectMany(r => catalogue.Find(r.Trim())!.Formats)
                .Distinct().Select(f => new RankedPlateFormat(f, PlateFormatRank.Region)), generic])
            : new PlateFormatOrder(null, [.. catalogue.Regions.SelectMany(r => r.Formats).Select(f => new RankedPlateFormat(f, PlateFormatRank.Region)), generic]);
        _byRegion = catalogue.Regions.ToFrozenDictionary(
            r => r.Code,
            r => new PlateFormatOrder(r.Code, [
                .. r.Formats.Select(f => new RankedPlateFormat(f, PlateFormatRank.Region)),
                .. r.Neighbours.SelectMany(n => catalogue.Find(n)!.Formats).Distinct().Select(f => new RankedPlateFormat(f, PlateFormatRank.Neighbour)),
                generic]),
            StringComparer.OrdinalIgnoreCase);
    }

    public PlateFormatCatalogue Catalogue { get; }

    /// <summary>The order for a station without a region.</summary>
    public PlateFormatOrder Fallback { get; }

    /// <summary>The order for a station in <paramref name="region"/> (case-insensitive); <see cref="Fallback"/> for null or an unknown code.</summary>
    public PlateFormatOrder For(string? region) =>
        region is not null && _byRegion.TryGetValue(region, out var order) ? order : Fallback;
}

/// <summary>
/// The plate formats of a station: its plate region (<see cref="StationRecord.PlateRegion"/>, set through the stations
/// API or the dashboard) looked up in <see cref="PlateFormatOrders"/>. The station row is read through the registry
/// cache, so calling this for every image costs no query.
/// </summary>
public sealed class StationPlateFormats(IStationStore stations, PlateFormatOrders orders)
{
    /// <summary>
    /// The formats to decode a reading at <paramref name="stationId"/> with: its region, its neighbours, the generic
    /// rule (or <see cref="PlateFormatOrders.Fallback"/> for a station without a region or one that does not exist).
    /// </summary>
    public async Task<PlateFormatOrder> ForStationAsync(string stationId, CancellationToken cancellationToken) =>
        orders.For((await stations.GetAsync(stationId, cancellationToken))?.PlateRegion);
}
