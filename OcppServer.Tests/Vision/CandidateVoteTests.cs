using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Tests.Vision;

/// <summary>How one image's candidate readings are chosen from when none is sure.</summary>
public sealed class CandidateVoteTests
{
    private static readonly PlateFormat Generic = PlateFormatCatalogue.BuiltIn.Generic;

    private static PlateAttempt Read(string? plate, double confidence) =>
        new(plate ?? "XX", plate is null ? null : new PlateFit(Generic, new string('A', plate.Length), plate, 0),
            plate is null ? 0 : confidence, [new Point2f(0, 0), new Point2f(1, 0), new Point2f(1, 1), new Point2f(0, 1)], null);

    /// <summary>A candidate both recognisers read: the combination as <see cref="SecondOpinion.Combine"/> makes it.</summary>
    private static CandidateReading Candidate(string? own, double ownConfidence, string? second, double secondConfidence)
    {
        var (a, b) = (Read(own, ownConfidence), Read(second, secondConfidence));
        return new CandidateReading(SecondOpinion.Combine(a, b), a, b);
    }

    [Test]
    public void The_plate_several_candidates_read_beats_a_single_surer_misreading_and_is_lowered_by_it()
    {
        var misreading = Candidate("AB128CD", 0.8, null, 0);
        var chosen = CandidateVote.Choose([Candidate("AB123CD", 0.5, null, 0), misreading, Candidate("AB123CD", 0.45, null, 0),
            Candidate("AB123CD", 0.4, null, 0)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("AB123CD"));
        var surest = 0.5 * SecondOpinion.SecondOpinionUnreadableFactor;
        Assert.That(chosen.Confidence, Is.EqualTo(surest * (1 - SecondOpinion.DissentWeight * misreading.Combined.Confidence)).Within(1e-9),
            "a surer reading of another plate dissents");
        Assert.That(chosen.WonVote, Is.True);
    }

    [Test]
    public void The_winner_keeps_its_surest_combined_reading_and_agreement_across_candidates_does_not_raise_it()
    {
        var surest = Candidate("AB123CD", 0.6, "AB123CD", 0.5);
        var chosen = CandidateVote.Choose([Candidate("AB123CD", 0.3, "AB123CD", 0.2), surest, Candidate("AB123CD", 0.4, "AB123CD", 0.3)]);
        Assert.That(chosen, Is.SameAs(surest.Combined));
    }

    [Test]
    public void Without_a_repeated_plate_the_surest_reading_wins_unchanged()
    {
        var surest = Candidate("XY987ZZ", 0.6, "XY987ZZ", 0.2);
        var chosen = CandidateVote.Choose([Candidate("AB123CD", 0.5, null, 0), surest, Candidate("KL555MN", 0.2, null, 0)]);
        Assert.That(chosen, Is.SameAs(surest.Combined));
        Assert.That(chosen!.WonVote, Is.False);
    }

    [Test]
    public void A_single_confident_reading_outweighs_two_weak_ones()
    {
        var chosen = CandidateVote.Choose([Candidate("AB123CD", 0.2, null, 0), Candidate("AB123CD", 0.25, null, 0),
            Candidate("XY987ZZ", 0.9, "XY987ZZ", 0.3)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("XY987ZZ"));
    }

    [Test]
    public void A_plate_only_second_opinions_read_from_several_crops_wins_lowered_as_a_dissent()
    {
        // The plate model misreads each crop differently; the general recogniser reads the same plate from all three.
        var chosen = CandidateVote.Choose([Candidate("AB12BCD", 0.7, "AB123CD", 0.6), Candidate("A8123C", 0.65, "AB123CD", 0.55),
            Candidate("AB123C0", 0.6, "AB123CD", 0.5)]);
        Assert.That(chosen!.Fit!.Plate, Is.EqualTo("AB123CD"));
        Assert.That(chosen.Opinion, Is.EqualTo(PlateReasons.SecondOpinionDisagrees));
        // Its surest second opinion (0.6 against the plate model's 0.7), lowered again by the surest reading of another plate.
        var dissent = 0.6 * (1 - SecondOpinion.DissentWeight * 0.7);
        var surestOther = 0.7 * (1 - SecondOpinion.DissentWeight * 0.6);
        Assert.That(chosen.Confidence, Is.EqualTo(dissent * (1 - SecondOpinion.DissentWeight * surestOther)).Within(1e-9));
    }

    [Test]
    public void Readings_that_fit_no_format_take_no_part()
    {
        Assert.That(CandidateVote.Choose([Candidate(null, 0, null, 0), Candidate(null, 0, null, 0)]), Is.Null);
        Assert.That(CandidateVote.Choose([]), Is.Null);
        Assert.That(CandidateVote.Choose([Candidate(null, 0, null, 0), Candidate("AB123CD", 0.1, "AB123CD", 0.1)])!.Fit!.Plate,
            Is.EqualTo("AB123CD"));
    }
}
