using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>
/// Format decoding of the recogniser's characters: a position takes the option the model itself ranks best among those
/// its class allows (not the look-alike table's guess), one weak character may be skipped, the station's region wins
/// close calls against its neighbours and the generic rule, and nothing that fits no template is made up.
/// </summary>
public sealed class PlateFormatDecoderTests
{
    private static readonly PlateFormatOrders Orders = new(PlateFormatCatalogue.BuiltIn, []);
    private readonly PlateFormatDecoder _decoder = new();

    /// <summary>Characters read with confidence 0.95 each, except those given with their options.</summary>
    private static List<CharacterOptions> Read(string text, params (int At, CharacterOptions Options)[] uncertain)
    {
        var characters = text.Select(c => new CharacterOptions([new CharacterOption(c, 0.95f), new CharacterOption('#', 0.03f)], 0.02f)).ToList();
        foreach (var (at, options) in uncertain)
        {
            characters[at] = options;
        }
        return characters;
    }

    private static CharacterOptions Options(float blank, params (char Char, float P)[] options) =>
        new([.. options.Select(o => new CharacterOption(o.Char, o.P))], blank);

    [Test]
    public void A_digit_position_takes_the_digit_the_model_ranks_next_not_the_look_alike()
    {
        // AB?23CD at a French station: the model's first choice at the digit position is S; its look-alike is 5, but
        // the model gave 6 more probability than 5, so the plate is AB623CD.
        var characters = Read("ABX23CD", (2, Options(0.02f, ('S', 0.55f), ('6', 0.30f), ('5', 0.10f))));
        var decoded = _decoder.Decode(characters, Orders.For("FR"));

        Assert.That(decoded, Is.Not.Null);
        Assert.That(decoded!.Plate, Is.EqualTo("AB623CD"));
        Assert.That(decoded.FormatName, Is.EqualTo("FR"));
        Assert.That(decoded.Template, Is.EqualTo("LLDDDLL"));
        Assert.That(decoded.Substitutions, Is.EqualTo(1));
        Assert.That(decoded.SkippedPosition, Is.Null);
        Assert.That(decoded.Score, Is.EqualTo(Math.Pow(Math.Pow(0.95, 6) * 0.30, 1.0 / 7)).Within(1e-4), "the geometric mean of 0.95 (x6) and 0.30");
    }

    [Test]
    public void A_letter_position_takes_the_letter_even_when_the_model_prefers_a_digit()
    {
        var characters = Read("AB123XD", (5, Options(0.02f, ('0', 0.6f), ('O', 0.35f))));
        var decoded = _decoder.Decode(characters, Orders.For("FR"));
        Assert.That(decoded!.Plate, Is.EqualTo("AB123OD"));
        Assert.That(decoded.Region, Is.EqualTo("FR"));
    }

    [Test]
    public void The_look_alike_table_is_the_last_resort_at_a_strong_penalty()
    {
        // The model offers only S at a digit position: 5 (its look-alike) is taken, at a price.
        var withLookAlike = _decoder.Decode(Read("ABX23CD", (2, Options(0.02f, ('S', 0.9f)))), Orders.For("FR"));
        var offered = _decoder.Decode(Read("ABX23CD", (2, Options(0.02f, ('S', 0.6f), ('5', 0.3f)))), Orders.For("FR"));
        Assert.That(withLookAlike!.Plate, Is.EqualTo("AB523CD"));
        Assert.That(withLookAlike.FormatName, Is.EqualTo("FR"));
        Assert.That(withLookAlike.Score, Is.LessThan(offered!.Score), "a swap the model did not offer costs more than one it did");
    }

    [Test]
    public void A_weak_character_such_as_a_country_code_is_skipped()
    {
        // An F from the blue EU band read in front of a French plate: weak (mostly blank at its step).
        var characters = Read("FAB123CD", (0, Options(0.65f, ('F', 0.3f))));
        var decoded = _decoder.Decode(characters, Orders.For("FR"));

        Assert.That(decoded!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(decoded.FormatName, Is.EqualTo("FR"));
        Assert.That(decoded.SkippedPosition, Is.EqualTo(0));
        Assert.That(decoded.Score, Is.LessThan(0.95));
    }

    [Test]
    public void A_sticker_between_the_groups_is_skipped_but_a_strong_character_is_not()
    {
        var sticker = Read("AB1*23CD", (3, Options(0.2f, ('Q', 0.35f), ('0', 0.2f))));
        var decoded = _decoder.Decode(sticker, Orders.For("FR"));
        Assert.That(decoded!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(decoded.SkippedPosition, Is.EqualTo(3));

        // The same extra character read with confidence is part of the plate: no French template takes it, the
        // generic rule does.
        var strong = Read("AB1Q23CD");
        var generic = _decoder.Decode(strong, Orders.For("FR"));
        Assert.That(generic!.Plate, Is.EqualTo("AB1Q23CD"));
        Assert.That(generic.FormatName, Is.EqualTo("Generic"));
        Assert.That(generic.SkippedPosition, Is.Null);
    }

    [TestCase("IT", "IT")]
    [TestCase("FR", "FR")]
    public void The_stations_region_wins_a_plate_its_neighbour_reads_the_same(string station, string format)
    {
        // AB123CD is both an Italian and a French plate; the station's region decides.
        var decoded = _decoder.Decode(Read("AB123CD"), Orders.For(station));
        Assert.That(decoded!.FormatName, Is.EqualTo(format));
        Assert.That(decoded.Rank, Is.EqualTo(PlateFormatRank.Region));
    }

    [Test]
    public void A_neighbour_wins_when_the_region_would_need_an_unlikely_character()
    {
        // A Belgian plate (1ABC234) at a German station: a German template takes it only as IABC234, through the
        // look-alike table (the model never offered I).
        var decoded = _decoder.Decode(Read("1ABC234"), Orders.For("DE"));
        Assert.That(decoded!.FormatName, Is.EqualTo("BE"));
        Assert.That(decoded.Rank, Is.EqualTo(PlateFormatRank.Neighbour));
    }

    [Test]
    public void A_plate_of_a_format_beats_the_generic_rule_despite_a_substitution()
    {
        // The generic rule takes every first choice (ABI23CD) but the French format's reading wins.
        var characters = Read("ABX23CD", (2, Options(0.02f, ('I', 0.6f), ('1', 0.35f))));
        var decoded = _decoder.Decode(characters, Orders.For("FR"));
        Assert.That(decoded!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(decoded.FormatName, Is.EqualTo("FR"));
    }

    [Test]
    public void Chinese_positions_follow_their_classes()
    {
        var characters = Read("京X12345", (1, Options(0.02f, ('8', 0.7f), ('B', 0.25f))));
        var decoded = _decoder.Decode(characters, Orders.For("CN"));
        Assert.That(decoded!.Plate, Is.EqualTo("京B12345"));
        Assert.That(decoded.FormatName, Is.EqualTo("CN-Blue"));
        Assert.That(decoded.Region, Is.EqualTo("CN"));
    }

    [Test]
    public void Nothing_that_fits_no_template_is_made_up()
    {
        // Spain and its neighbours (Portugal, France): no template of 3 characters, none without a digit.
        Assert.That(_decoder.Decode(Read("AB1"), Orders.For("ES")), Is.Null, "too short for any format");
        Assert.That(_decoder.Decode(Read("PARKING"), Orders.For("ES")), Is.Null, "no digit: a sign");
        Assert.That(_decoder.Decode(Read("AB123CD"), Orders.For("CN").Formats.Where(f => f.Rank == PlateFormatRank.Region).ToList()), Is.Null,
            "a Latin plate fits no Chinese format");
        Assert.That(_decoder.Decode([], Orders.For("FR")), Is.Null);
    }

    [Test]
    public void Earlier_formats_win_exact_ties()
    {
        var first = new PlateFormat("First", ["LLDDDD"]);
        var second = new PlateFormat("Second", ["LLDDDD"]);
        var decoded = _decoder.Decode(Read("AB1234"), [new(first, PlateFormatRank.Region), new(second, PlateFormatRank.Region)]);
        Assert.That(decoded!.FormatName, Is.EqualTo("First"));
        decoded = _decoder.Decode(Read("AB1234"), [new(second, PlateFormatRank.Region), new(first, PlateFormatRank.Region)]);
        Assert.That(decoded!.FormatName, Is.EqualTo("Second"));
    }
}
