using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>
/// The shipped plate format catalogue: every region the issue names is there, every example fits its region's
/// templates as written, and a wrong file (bad class letter, duplicate code, unknown neighbour, example that does not
/// fit) is refused with a message naming the entry; an operator's file adds and replaces regions.
/// </summary>
public sealed class PlateFormatCatalogueTests
{
    private static readonly string[] EuAndEfta =
    [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT",
        "RO", "SK", "SI", "ES", "SE", "GB", "NO", "CH", "IS", "LI",
    ];

    private static readonly string[] UsStates =
    [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI",
        "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
        "VA", "WA", "WV", "WI", "WY",
    ];

    private static PlateFormatCatalogue Catalogue => PlateFormatCatalogue.BuiltIn;

    public static IEnumerable<TestCaseData> Examples() =>
        PlateFormatCatalogue.BuiltIn.Regions.SelectMany(r => r.Examples.Select(e => new TestCaseData(r.Code, e).SetName($"Example {e} fits {r.Code}")));

    [Test]
    public void Every_region_the_issue_names_is_in_the_shipped_catalogue()
    {
        string[] expected = [.. EuAndEfta, .. UsStates.Select(s => "US-" + s), "BR", "CN"];
        Assert.That(expected.Where(c => Catalogue.Find(c) is null), Is.Empty);
        Assert.That(UsStates, Has.Length.EqualTo(51), "50 states and DC");
        Assert.That(Catalogue.Regions.Select(r => r.Code), Is.Unique);
    }

    [TestCaseSource(nameof(Examples))]
    public void An_example_fits_its_region_as_written(string region, string example)
    {
        var fit = Catalogue.Find(region)!.Fit(example);
        Assert.That(fit, Is.Not.Null, $"{example} fits {region}");
        Assert.That(fit!.Plate, Is.EqualTo(example));
        Assert.That(fit.Format.Region, Is.EqualTo(region));
    }

    [Test]
    public void Every_neighbour_is_a_region_and_every_region_has_an_example()
    {
        foreach (var region in Catalogue.Regions)
        {
            Assert.That(region.Neighbours.Where(n => Catalogue.Find(n) is null), Is.Empty, region.Code);
            Assert.That(region.Examples, Is.Not.Empty, region.Code);
        }
    }

    [TestCase("DE", "BAB1234", true)]
    [TestCase("DE", "MXY12E", true)] // electric suffix
    [TestCase("DE", "MXY12H", true)] // historic suffix
    [TestCase("DE", "MXY12X", false)] // no other suffix
    [TestCase("DE", "ABCDE1234", false)] // at most 8 characters
    [TestCase("DE", "ABCDEF12", false)] // at most 5 letters
    [TestCase("FR", "AB123CD", true)]
    [TestCase("FR", "AB1234CD", false)]
    [TestCase("IT", "AI123CD", false)] // Italian series have no I or O
    [TestCase("ES", "1234BCD", true)]
    [TestCase("US-CA", "8ABC123", true)]
    [TestCase("US-CA", "ABC1234", false)]
    [TestCase("BR", "ABC1D23", true)]
    [TestCase("BR", "ABC12D3", false)]
    [TestCase("CN", "粤BD12345", true)]
    [TestCase("CN", "粤B1234", false)]
    public void The_templates_follow_the_standard_series(string region, string plate, bool fits)
    {
        var fit = Catalogue.Find(region)!.Formats.Select(f => f.Fit(plate)).FirstOrDefault(f => f is { Substitutions: 0 });
        Assert.That(fit is not null, Is.EqualTo(fits), $"{plate} in {region}");
    }

    [Test]
    public void The_generic_rule_takes_vanity_plates_with_a_digit_of_4_to_8_characters()
    {
        Assert.That(Catalogue.Generic.Name, Is.EqualTo("Generic"));
        Assert.That(Catalogue.FindFormat("EU"), Is.SameAs(Catalogue.Generic), "EU is the generic rule's former name");
        Assert.That(Catalogue.Generic.Fit("LUV2CHG"), Is.Not.Null);
        Assert.That(Catalogue.Generic.Fit("PARKING"), Is.Null);
        Assert.That(Catalogue.Generic.Fit("AB1"), Is.Null);
    }

    [Test]
    public void Repetitions_expand_to_every_length_within_the_bounds()
    {
        Assert.That(PlateFormatCatalogue.Expand("L{1,2}D{2}"), Is.EqualTo(new[] { "LDD", "LLDD" }));
        Assert.That(PlateFormatCatalogue.Expand("L{1,3}L{1,2}D{1,4}", maxLength: 3), Is.EqualTo(new[] { "LLD" }));
        Assert.That(PlateFormatCatalogue.Expand("A{4,8}", minLength: 7), Is.EqualTo(new[] { "AAAAAAA", "AAAAAAAA" }));
        Assert.Throws<FormatException>(() => PlateFormatCatalogue.Expand("LQD"));
        Assert.Throws<FormatException>(() => PlateFormatCatalogue.Expand("L{3,1}"));
    }

    private const string Generic = """ "generic": { "code": "Generic", "name": "any", "templates": ["A{4,8}"], "minDigits": 1, "examples": ["AB12"] } """;

    [TestCase("""{ "code": "XA", "name": "A", "templates": ["LLQDDD"], "neighbours": [], "examples": ["AB1234"] }""",
        "plate region XA: template LLQDDD: 'Q' at position 3 is not a template class")]
    [TestCase("""{ "code": "XA", "name": "A", "templates": ["LLDDDD"], "neighbours": [], "examples": ["AB1234"] }, { "code": "XA", "name": "B", "templates": ["LLDDDD"], "neighbours": [], "examples": ["AB1234"] }""",
        "plate region XA is listed twice")]
    [TestCase("""{ "code": "XA", "name": "A", "templates": ["LLDDDD"], "neighbours": ["XB"], "examples": ["AB1234"] }""",
        "Plate region XA: neighbour XB is not a region of the catalogue")]
    [TestCase("""{ "code": "XA", "name": "A", "templates": ["LLDDDD"], "neighbours": [], "examples": ["AB123C"] }""",
        "plate region XA: example AB123C fits none of its templates (LLDDDD)")]
    [TestCase("""{ "code": "xa", "name": "A", "templates": ["LLDDDD"], "neighbours": [], "examples": ["AB1234"] }""",
        "plate region \"xa\": the code must be ISO 3166-1 alpha-2")]
    [TestCase("""{ "code": "XA", "name": "A", "templates": ["LLDDDD"], "neighbours": [], "examples": [] }""",
        "plate region XA: at least one example plate is required")]
    public void A_wrong_entry_is_refused_with_a_message_naming_it(string regions, string message)
    {
        var e = Assert.Throws<PlateFormatCatalogueException>(() => PlateFormatCatalogue.Parse($$"""{ {{Generic}}, "regions": [ {{regions}} ] }""", "test.json"));
        Assert.That(e!.Message, Does.Contain(message));
        Assert.That(e.Message, Does.StartWith("test.json").Or.StartWith("Plate region"));
    }

    [Test]
    public void An_operators_file_adds_and_replaces_regions_and_a_bad_one_fails_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"plate-formats-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """
                { "regions": [
                    { "code": "DE", "name": "Germany (site rule)", "templates": ["LLLDDDD"], "neighbours": ["XK"], "examples": ["BAB1234"] },
                    { "code": "XK", "name": "Kosovo", "templates": ["DDDDDLL"], "neighbours": ["DE"], "examples": ["01234AB"] }
                ] }
                """);
            var catalogue = PlateFormatCatalogue.Load(path);
            Assert.That(catalogue.Find("DE")!.Name, Is.EqualTo("Germany (site rule)"));
            Assert.That(catalogue.Find("DE")!.Formats.Single().Templates, Is.EqualTo(new[] { "LLLDDDD" }));
            Assert.That(catalogue.Find("xk")!.Code, Is.EqualTo("XK"));
            Assert.That(catalogue.Find("FR"), Is.Not.Null, "the shipped regions stay");
            Assert.That(catalogue.Regions.Count, Is.EqualTo(Catalogue.Regions.Count + 1));
            Assert.That(catalogue.Generic.Templates, Is.EqualTo(Catalogue.Generic.Templates));

            File.WriteAllText(path, """{ "regions": [ { "code": "FR", "name": "France", "templates": ["LLDDDLL"], "neighbours": ["ZZ"], "examples": ["AB123CD"] } ] }""");
            var e = Assert.Throws<PlateFormatCatalogueException>(() => PlateFormatCatalogue.Load(path));
            Assert.That(e!.Message, Does.Contain("Plate region FR: neighbour ZZ is not a region of the catalogue"));

            File.WriteAllText(path, """{ "regions": [ { "code": "FR", "name": "France", "templates": ["LLDDDLL"], "examples": ["AB123CD"], "colour": "blue" } ] }""");
            e = Assert.Throws<PlateFormatCatalogueException>(() => PlateFormatCatalogue.Load(path));
            Assert.That(e!.Message, Does.Contain($"Vision:FormatsFile {path} is not a valid plate format file"));
        }
        finally
        {
            File.Delete(path);
        }

        var missing = Assert.Throws<PlateFormatCatalogueException>(() => PlateFormatCatalogue.Load(path));
        Assert.That(missing!.Message, Does.Contain($"Vision:FormatsFile {path} cannot be read"));
    }

    [Test]
    public void A_stations_order_is_its_region_then_its_neighbours_then_the_generic_rule()
    {
        var orders = new PlateFormatOrders(Catalogue, []);
        var order = orders.For("de");
        Assert.That(order.Region, Is.EqualTo("DE"));
        Assert.That(order.Formats[0], Is.EqualTo(new RankedPlateFormat(Catalogue.Find("DE")!.Formats[0], PlateFormatRank.Region)));
        Assert.That(order.Formats.Skip(1).SkipLast(1).Select(f => f.Format.Region), Is.EqualTo(Catalogue.Find("DE")!.Neighbours));
        Assert.That(order.Formats.Skip(1).SkipLast(1).Select(f => f.Rank), Is.All.EqualTo(PlateFormatRank.Neighbour));
        Assert.That(order.Formats[^1], Is.EqualTo(new RankedPlateFormat(Catalogue.Generic, PlateFormatRank.Generic)));

        var cn = orders.For("CN");
        Assert.That(cn.Formats.Select(f => f.Format.Name), Is.EqualTo(new[] { "CN-Green", "CN-Blue", "Generic" }));
    }

    [Test]
    public void A_station_without_a_region_uses_the_default_regions_or_every_format()
    {
        var withDefaults = new PlateFormatOrders(Catalogue, ["FR", "be"]);
        Assert.That(withDefaults.For(null).Formats.Select(f => f.Format.Name), Is.EqualTo(new[] { "FR", "BE", "Generic" }));
        Assert.That(withDefaults.For("XX"), Is.SameAs(withDefaults.Fallback), "a code the catalogue no longer has");

        var everything = new PlateFormatOrders(Catalogue, []).For(null);
        Assert.That(everything.Region, Is.Null);
        Assert.That(everything.Formats, Has.Count.EqualTo(Catalogue.Regions.Sum(r => r.Formats.Count) + 1));
        Assert.That(everything.Formats[^1].Format, Is.SameAs(Catalogue.Generic));

        var e = Assert.Throws<PlateFormatCatalogueException>(() => _ = new PlateFormatOrders(Catalogue, ["DE", "Atlantis"]));
        Assert.That(e!.Message, Does.Contain("Vision:DefaultRegions names Atlantis"));
    }
}
