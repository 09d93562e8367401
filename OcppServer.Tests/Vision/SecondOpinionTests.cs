using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Tests.Vision;

/// <summary>How the plate model's reading and the general recogniser's second opinion make one reading.</summary>
public sealed class SecondOpinionTests
{
    private static readonly PlateFormat Generic = PlateFormatCatalogue.BuiltIn.Generic;
    private static readonly PlateFormat ChineseBlue = PlateFormatCatalogue.BuiltIn.FindFormat("CN-Blue")!;

    private static PlateAttempt Read(string? plate, double confidence, PlateFormat? format = null, double prior = 1) =>
        new(plate ?? "", plate is null ? null : new PlateFit(format ?? Generic, new string('A', plate.Length), plate, 0),
            plate is null ? 0 : confidence, [new Point2f(0, 0), new Point2f(1, 0), new Point2f(1, 1), new Point2f(0, 1)], null, Prior: prior);

    [Test]
    public void Agreement_raises_the_confidence_above_either()
    {
        var combined = SecondOpinion.Combine(Read("AB123CD", 0.8), Read("AB123CD", 0.7));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(combined.Confidence, Is.EqualTo(1 - 0.2 * 0.3).Within(1e-9));
        Assert.That(combined.Opinion, Is.EqualTo(PlateReasons.SecondOpinionAgrees));
    }

    [Test]
    public void Agreement_reached_only_by_swapping_a_character_is_no_boost()
    {
        // A STOP sign: the plate model reads ST0P, the general model STOP and takes its faint 0 to fit a format.
        var general = Read("ST0P", 0.3) with { Raw = "STOP" };
        var combined = SecondOpinion.Combine(Read("ST0P", 0.95), general);
        Assert.That(combined.Confidence, Is.EqualTo(0.3));
        Assert.That(combined.Opinion, Is.EqualTo(PlateReasons.SecondOpinionAgreesAfterSubstitution));
    }

    [Test]
    public void Disagreement_keeps_the_surer_reading_and_lowers_it_by_the_dissents_confidence()
    {
        var combined = SecondOpinion.Combine(Read("AB123CD", 0.9), Read("AB128CD", 0.6));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(combined.Confidence, Is.EqualTo(0.9 * (1 - SecondOpinion.DissentWeight * 0.6)).Within(1e-9));
        Assert.That(combined.Opinion, Is.EqualTo(PlateReasons.SecondOpinionDisagrees));

        var other = SecondOpinion.Combine(Read("AB123CD", 0.5), Read("AB128CD", 0.95));
        Assert.That(other.Fit!.Plate, Is.EqualTo("AB128CD"), "the second opinion wins when it is surer");
        Assert.That(other.Confidence, Is.LessThan(0.95));
    }

    [Test]
    public void A_confident_dissent_costs_more_than_an_unsure_one()
    {
        var confident = SecondOpinion.Combine(Read("AB123CD", 0.9), Read("XY999ZZ", 0.8));
        var unsure = SecondOpinion.Combine(Read("AB123CD", 0.9), Read("XY999ZZ", 0.2));
        Assert.That(confident.Confidence, Is.LessThan(unsure.Confidence));
    }

    [Test]
    public void A_reading_of_the_stations_formats_beats_a_surer_one_only_the_generic_rule_takes()
    {
        var combined = SecondOpinion.Combine(Read("A347H1", 0.9, Generic, prior: 0.5), Read("京A347H1", 0.8, ChineseBlue, prior: 1));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("京A347H1"));
    }

    [Test]
    public void A_province_character_only_the_second_opinion_saw_completes_an_agreeing_reading()
    {
        var combined = SecondOpinion.Combine(Read("A347H1", 0.9), Read("京A347H1", 0.8, ChineseBlue));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("京A347H1"));
        Assert.That(combined.Opinion, Is.EqualTo(PlateReasons.SecondOpinionAgrees));
        Assert.That(combined.Confidence, Is.GreaterThan(0.9));
    }

    [Test]
    public void Look_alike_differences_keep_the_plate_models_reading_without_a_boost()
    {
        var combined = SecondOpinion.Combine(Read("0UPB113", 0.95), Read("OUPB113", 0.9));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("0UPB113"));
        Assert.That(combined.Confidence, Is.EqualTo(0.95));
        Assert.That(combined.Opinion, Is.EqualTo(PlateReasons.SecondOpinionAgreesUpToLookAlikes));
    }

    [Test]
    public void Text_the_second_opinion_cannot_fit_to_any_format_is_doubted()
    {
        var combined = SecondOpinion.Combine(Read("EV0NLY", 0.98), Read(null, 0));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("EV0NLY"));
        Assert.That(combined.Confidence, Is.EqualTo(0.98 * SecondOpinion.SecondOpinionUnreadableFactor).Within(1e-9));
        Assert.That(combined.Opinion, Is.EqualTo(PlateReasons.SecondOpinionUnreadable));
    }

    [Test]
    public void A_reading_only_the_second_opinion_fits_is_taken_at_a_discount_and_nothing_from_nothing()
    {
        var combined = SecondOpinion.Combine(Read(null, 0), Read("AB123CD", 0.9));
        Assert.That(combined.Fit!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(combined.Confidence, Is.EqualTo(0.9 * SecondOpinion.SecondOpinionOnlyFactor).Within(1e-9));

        var none = SecondOpinion.Combine(Read(null, 0), Read(null, 0));
        Assert.That(none.Fit, Is.Null);
        Assert.That(none.Confidence, Is.Zero);
    }
}
