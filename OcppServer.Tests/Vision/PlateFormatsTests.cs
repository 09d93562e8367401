using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

public sealed class PlateFormatsTests
{
    private readonly PlateFormats _formats = new(["EU", "CN-Blue", "CN-Green"]);

    [TestCase("AB12 CDE", "AB12CDE", "Generic")]
    [TestCase("m-xy 1234", "MXY1234", "Generic")]
    [TestCase("ＡＢ１２３", "AB123", "Generic")]
    [TestCase("京A·12345", "京A12345", "CN-Blue")]
    [TestCase("沪C21F13", "沪C21F13", "CN-Blue")]
    [TestCase("粤B·D12345", "粤BD12345", "CN-Green")]
    [TestCase("粤B123450", "粤B12345D", "CN-Green")] // trailing 0 is not D: no fit as green, see below
    public void Normalises_and_names_the_format(string text, string plate, string format)
    {
        if (text == "粤B123450")
        {
            Assert.That(_formats.Fit(text), Is.Null, "a large new-energy plate ends in D or F");
            return;
        }
        var fit = _formats.Fit(text);
        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Plate, Is.EqualTo(plate));
        Assert.That(fit.Format.Name, Is.EqualTo(format));
    }

    [TestCase("京812345", "京B12345")] // position 2 of a Chinese plate is a letter: 8 reads as B
    [TestCase("京AO1234", "京A01234")] // Chinese plates have no O: it is a zero
    [TestCase("粤BD1234S", "粤BD12345")] // the last four of a small new-energy plate are digits
    public void Resolves_look_alikes_where_the_position_demands(string text, string plate)
    {
        var fit = _formats.Fit(text);
        Assert.That(fit, Is.Not.Null);
        Assert.That(fit!.Plate, Is.EqualTo(plate));
        Assert.That(fit.Substitutions, Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("ABC")] // too short
    [TestCase("ABCDEFGHJ")] // too long
    [TestCase("PARKING")] // no digit: a sign, not a plate
    [TestCase("京A1234")] // Chinese blue plates have seven characters
    [TestCase("AA12345")] // without a province character it is a European plate, see below
    public void Rejects_text_that_is_not_a_plate(string text)
    {
        var fit = _formats.Fit(text);
        if (text == "AA12345")
        {
            Assert.That(fit?.Format.Name, Is.EqualTo("Generic"));
            return;
        }
        Assert.That(fit, Is.Null);
    }

    [Test]
    public void Only_enabled_formats_are_used()
    {
        var european = new PlateFormats(["EU"]);
        Assert.That(european.Fit("京A12345"), Is.Null);
        Assert.That(european.Enabled.Select(f => f.Name), Is.EqualTo(new[] { "Generic" }), "EU is the former name of the generic rule");
        Assert.Throws<ArgumentException>(() => _ = new PlateFormats(["Mars"]));
    }

    [Test]
    public void Empty_configuration_enables_the_chinese_formats_and_the_generic_rule()
    {
        Assert.That(new PlateFormats([]).Enabled.Select(f => f.Name), Is.EqualTo(new[] { "CN-Green", "CN-Blue", "Generic" }));
    }

    [Test]
    public void A_region_code_enables_its_formats_before_the_generic_rule_whatever_the_order_named()
    {
        var formats = new PlateFormats(["Generic", "DE", "BR"]);
        Assert.That(formats.Enabled.Select(f => f.Name), Is.EqualTo(new[] { "DE", "BR-Mercosur", "BR-Old", "Generic" }));
        Assert.That(formats.Fit("B-AB 1234")!.Format.Name, Is.EqualTo("DE"));
        Assert.That(formats.Fit("ABC1D23")!.Format.Name, Is.EqualTo("BR-Mercosur"));
        Assert.That(formats.Fit("AB12CDE")!.Format.Name, Is.EqualTo("Generic"), "no German or Brazilian template takes a British plate");
    }

    [Test]
    public void A_template_that_needs_no_look_alike_beats_an_earlier_one_that_does()
    {
        // LLLLDDD takes BAB1234 as BABI234 (1 read as I); LLLDDDD takes it as read and must win.
        var fit = new PlateFormat("DE-like", ["LLLLDDD", "LLLDDDD"]).Fit("BAB1234");
        Assert.That(fit!.Plate, Is.EqualTo("BAB1234"));
        Assert.That(fit.Template, Is.EqualTo("LLLDDDD"));
        Assert.That(fit.Substitutions, Is.Zero);
    }
}
