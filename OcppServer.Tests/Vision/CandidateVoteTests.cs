using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Tests.Vision;

/// <summary>How one image's candidate readings are chosen from when none is sure.</summary>
public sealed class CandidateVoteTests
{
    private static readonly PlateFormat Generic = PlateFormatCatalogue.BuiltIn.Generic;

    private static PlateAttempt Read(string? plate, double confidence, float x = 0) =>
        new(plate ?? "XX", plate is null ? null : new PlateFit(Generic, new string('A', plate.Length), plate, 0),
            confidence, [new Point2f(x, 0), new Point2f(x + 1, 0), new Point2f(x + 1, 1), new Point2f(x, 1)], null);

    [Test]
    public void The_plate_several_candidates_read_beats_a_single_surer_misreading()
    {
        var chosen = CandidateVote.Choose([Read("AB123CD", 0.5, x: 1), Read("AB128CD", 0.8, x: 2), Read("AB123CD", 0.45, x: 3)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("AB123CD"));
    }

    [Test]
    public void The_winner_keeps_its_surest_reading_and_its_confidence_is_not_raised_by_the_others()
    {
        var surest = Read("AB123CD", 0.5, x: 7);
        var chosen = CandidateVote.Choose([Read("AB123CD", 0.3, x: 1), surest, Read("AB123CD", 0.4, x: 3)]);
        Assert.That(chosen, Is.SameAs(surest));
        Assert.That(chosen!.Confidence, Is.EqualTo(0.5));
    }

    [Test]
    public void Without_a_repeated_plate_the_surest_reading_wins()
    {
        var chosen = CandidateVote.Choose([Read("AB123CD", 0.5), Read("XY987ZZ", 0.6), Read("KL555MN", 0.2)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("XY987ZZ"));
    }

    [Test]
    public void A_single_confident_reading_outweighs_two_weak_ones()
    {
        var chosen = CandidateVote.Choose([Read("AB123CD", 0.2), Read("AB123CD", 0.25), Read("XY987ZZ", 0.7)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("XY987ZZ"));
    }

    [Test]
    public void Readings_that_fit_no_format_take_no_part()
    {
        Assert.That(CandidateVote.Choose([Read(null, 0.9), Read(null, 0.9)]), Is.Null);
        Assert.That(CandidateVote.Choose([]), Is.Null);
        Assert.That(CandidateVote.Choose([Read(null, 0.9), Read("AB123CD", 0.1)])!.Fit!.Plate, Is.EqualTo("AB123CD"));
    }

    [Test]
    public void On_equal_support_the_plate_with_the_surer_reading_wins()
    {
        var chosen = CandidateVote.Choose([Read("AB123CD", 0.3), Read("AB123CD", 0.3), Read("XY987ZZ", 0.6)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("XY987ZZ"));
    }
}
