using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

public sealed class PlateMatcherTests
{
    private readonly PlateMatcher _matcher = new(new PlateFormats(["EU", "CN-Blue", "CN-Green"]));

    [Test]
    public void Exact_reading_matches()
    {
        var match = _matcher.Match("AB12 CDE", ["XY99ZZZ", "AB12CDE"]);
        Assert.That(match.Kind, Is.EqualTo(PlateMatchKind.Exact));
        Assert.That(match.Plate, Is.EqualTo("AB12CDE"));
    }

    [TestCase("AB12CDE", "A812CDE")]
    [TestCase("0L45TRS", "OL45TRS")]
    [TestCase("SI819AK", "5I8I9AK")]
    [TestCase("ZZ12345", "2Z12345")]
    public void Look_alike_reading_matches_the_only_reachable_plate(string registered, string read)
    {
        var match = _matcher.Match(read, [registered, "QQ99QQQ"]);
        Assert.That(match.Kind, Is.EqualTo(PlateMatchKind.LookAlike));
        Assert.That(match.Plate, Is.EqualTo(registered));
    }

    [TestCase("AB12CDE", "A812CDE")]
    [TestCase("0L45TRS", "OL45TRS")]
    [TestCase("SI819AK", "5I8I9AK")]
    [TestCase("ZZ12345", "2Z12345")]
    public void Reachable_plates_contain_every_look_alike_registration(string registered, string read)
    {
        var reachable = PlateMatcher.Reachable(read);

        Assert.That(reachable, Does.Contain(registered));
        Assert.That(reachable, Is.Unique);
        Assert.That(_matcher.Match(read, reachable!.Where(p => p == registered)).Plate, Is.EqualTo(registered));
    }

    [Test]
    public void Reachable_plates_are_the_look_alike_combinations_only()
    {
        // B/8, 1/I and 2/Z are look-alikes; A, C, D, E are not.
        Assert.That(PlateMatcher.Reachable("AB12CDE"), Has.Count.EqualTo(8));
        Assert.That(PlateMatcher.Reachable("ACDE"), Is.EqualTo(new[] { "ACDE" }));
    }

    [Test]
    public void A_reading_of_mostly_look_alikes_is_too_many_to_list()
    {
        Assert.That(PlateMatcher.Reachable("0000000000", limit: 256), Is.Null);
        Assert.That(PlateMatcher.Reachable("00000000", limit: 256), Has.Count.EqualTo(256));
    }

    [Test]
    public void Two_plates_reachable_by_look_alikes_is_ambiguous_even_for_an_exact_read()
    {
        var match = _matcher.Match("AB123", ["AB123", "A8123"]);
        Assert.That(match.Kind, Is.EqualTo(PlateMatchKind.Ambiguous));
        Assert.That(match.IsMatch, Is.False);
        Assert.That(match.Plate, Is.Null);
        Assert.That(match.Candidates, Is.EquivalentTo(new[] { "AB123", "A8123" }));
    }

    [Test]
    public void A_different_character_that_is_no_look_alike_never_matches()
    {
        Assert.That(_matcher.Match("AB12CDF", ["AB12CDE"]).Kind, Is.EqualTo(PlateMatchKind.None));
        Assert.That(_matcher.Match("AB12CD", ["AB12CDE"]).Kind, Is.EqualTo(PlateMatchKind.None));
        Assert.That(_matcher.Match("", ["AB12CDE"]).Kind, Is.EqualTo(PlateMatchKind.None));
    }

    [Test]
    public void Position_rules_decide_look_alikes_on_chinese_plates()
    {
        // Position 2 is a letter: a read 8 can only be B, so a registered 京812345 is not reachable (and not a plate).
        var match = _matcher.Match("京812345", ["京B12345", "京812345"]);
        Assert.That(match.Kind, Is.EqualTo(PlateMatchKind.Exact));
        Assert.That(match.Plate, Is.EqualTo("京B12345"));
        // The province character is never swapped.
        Assert.That(_matcher.Match("沪B12345", ["京B12345"]).Kind, Is.EqualTo(PlateMatchKind.None));
    }

    [Test]
    public void Camera_hint_agrees_when_equal_after_normalisation()
    {
        Assert.That(_matcher.HintAgrees("AB12CDE", "ab12 cde", []), Is.True);
        Assert.That(_matcher.HintAgrees("京A12345", "京A·12345", []), Is.True);
    }

    [Test]
    public void Camera_hint_agrees_when_both_resolve_to_the_same_registered_plate()
    {
        Assert.That(_matcher.HintAgrees("AB12CDE", "A812CDE", ["AB12CDE"]), Is.True);
    }

    [Test]
    public void Camera_hint_disagrees_otherwise()
    {
        Assert.That(_matcher.HintAgrees("AB12CDE", "XY99ZZZ", ["AB12CDE", "XY99ZZZ"]), Is.False);
        Assert.That(_matcher.HintAgrees("AB12CDE", "A812CDE", []), Is.False, "look-alike but nothing registered to decide");
        Assert.That(_matcher.HintAgrees("AB123", "A8123", ["AB123", "A8123"]), Is.False, "ambiguous registry");
        Assert.That(_matcher.HintAgrees("AB12CDE", null, ["AB12CDE"]), Is.False);
    }
}
