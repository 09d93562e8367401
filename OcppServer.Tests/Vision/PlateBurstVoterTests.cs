using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>The per-character vote over the frames of one passage (<see cref="PlateBurstVoter"/>).</summary>
public sealed class PlateBurstVoterTests
{
    [Test]
    public void The_majority_wins_per_character_even_when_no_frame_read_the_whole_plate_right()
    {
        // Each frame misreads one different character; every position still has a 2-of-3 majority.
        var vote = PlateBurstVoter.Vote([Read("AB12CDX", 0.9), Read("AB12CEF", 0.9), Read("A812CDF", 0.9)]);

        Assert.That(vote.Reading.Plate, Is.EqualTo("AB12CDF"));
        Assert.That(vote.Reading.Outcome, Is.EqualTo(PlateReadOutcome.Read));
        Assert.That(vote.Agreeing, Is.Zero);
        Assert.That(vote.Reading.Reasons, Does.Contain("burst_frames:3").And.Contain("burst_agreed:0/3"));
        Assert.That(vote.Reading.Confidence, Is.LessThan(0.9 * 0.7), "every position was disputed by one frame in three");
    }

    [Test]
    public void Options_are_added_across_frames_so_a_runner_up_can_win()
    {
        // Frame 1 is unsure between 8 and B (8 slightly ahead), frames 2 and 3 read B with 8 as runner-up.
        var vote = PlateBurstVoter.Vote(
        [
            Read("A8C", 0.8, Opt('A', 0.95f), Opt2('8', 0.5f, 'B', 0.45f), Opt('C', 0.95f)),
            Read("ABC", 0.8, Opt('A', 0.95f), Opt2('B', 0.6f, '8', 0.35f), Opt('C', 0.95f)),
            Read("ABC", 0.8, Opt('A', 0.95f), Opt2('B', 0.55f, '8', 0.4f), Opt('C', 0.95f)),
        ]);

        Assert.That(vote.Reading.Plate, Is.EqualTo("ABC"));
        Assert.That(vote.Agreeing, Is.EqualTo(2));
        Assert.That(vote.Reading.Characters![1].Best.Char, Is.EqualTo('B'));
        Assert.That(vote.Reading.Reasons, Does.Contain("burst_agreed:2/3"));
    }

    [Test]
    public void One_clean_frame_beats_blurred_ones_that_read_otherwise()
    {
        // Two blurred frames read "KB47XRF" but are unsure of the last character (T is their runner-up); the clean frame reads T.
        var blurred = Read("KB47XRF", 0.35, [.. Certain("KB47XR", 0.6f), Opt2('F', 0.5f, 'T', 0.45f)]);
        var clean = Read("KB47XRT", 0.95, [.. Certain("KB47XR", 0.99f), Opt('T', 0.99f)]);

        var vote = PlateBurstVoter.Vote([blurred, clean, blurred with { Confidence = 0.3 }]);

        Assert.That(vote.Reading.Plate, Is.EqualTo("KB47XRT"));
        Assert.That(vote.BestFrame, Is.EqualTo(1), "the clean frame is the passage's image");
        Assert.That(vote.Reading.Confidence, Is.GreaterThan(0.8), "blurred frames that allow the clean reading barely lower it");
    }

    [Test]
    public void Two_frames_that_disagree_give_a_lower_confidence_than_two_that_agree()
    {
        var agreeing = PlateBurstVoter.Vote([Read("MN21BLK", 0.92), Read("MN21BLK", 0.9)]);
        var disagreeing = PlateBurstVoter.Vote([Read("MN21BLK", 0.92), Read("MN21BLX", 0.9)]);

        Assert.That(agreeing.Reading.Confidence, Is.EqualTo(0.92).Within(1e-9), "agreement keeps the best frame's confidence");
        Assert.That(disagreeing.Reading.Confidence, Is.LessThan(new VisionOptions().MinConfidence), "one position is a near coin flip: below the reader's threshold");
        Assert.That(disagreeing.Reading.Plate, Is.EqualTo("MN21BLK"), "the more confident frame decides the disputed character");
    }

    [Test]
    public void Readings_that_cannot_be_aligned_vote_apart_and_count_against_the_winner()
    {
        var vote = PlateBurstVoter.Vote([Read("AB12CDE", 0.9), Read("AB12CDE", 0.9), Read("AB12CD", 0.9)]);

        Assert.That(vote.Reading.Plate, Is.EqualTo("AB12CDE"));
        Assert.That(vote.Reading.Reasons, Does.Contain("burst_groups:2").And.Contain("burst_agreed:2/3"));
        Assert.That(vote.Reading.Confidence, Is.LessThan(0.9).And.GreaterThan(0.5));
    }

    [Test]
    public void Without_character_options_each_character_is_certain_with_the_readings_confidence()
    {
        // The heavier frame wins the disputed last character; the share is 0.9 / (0.9 + 0.5).
        var vote = PlateBurstVoter.Vote([Read("XY99ZZA", 0.9), Read("XY99ZZB", 0.5)]);

        Assert.That(vote.Reading.Plate, Is.EqualTo("XY99ZZA"));
        Assert.That(vote.Reading.Confidence, Is.EqualTo(0.9 / 1.4 * 0.9).Within(1e-6));
        Assert.That(vote.Reading.Characters, Has.Count.EqualTo(7));
    }

    [Test]
    public void Unreadable_frames_count_as_evidence_of_nothing()
    {
        var alone = PlateBurstVoter.Vote([Read("RT77ENT", 0.88)]);
        var withUnreadable = PlateBurstVoter.Vote([Unreadable(), Read("RT77ENT", 0.88), Unreadable()]);

        Assert.That(withUnreadable.Reading.Plate, Is.EqualTo("RT77ENT"));
        Assert.That(withUnreadable.Reading.Confidence, Is.EqualTo(alone.Reading.Confidence));
        Assert.That(withUnreadable.BestFrame, Is.EqualTo(1));
        Assert.That(withUnreadable.Reading.Reasons, Does.Contain("burst_readable:1").And.Contain("burst_agreed:1/3"));
    }

    [Test]
    public void All_frames_unreadable_give_no_plate()
    {
        var vote = PlateBurstVoter.Vote([Unreadable(), Unreadable(ImageProblem.TooBlurred)]);

        Assert.That(vote.Reading.Outcome, Is.Not.EqualTo(PlateReadOutcome.Read));
        Assert.That(vote.Reading.Plate, Is.Null);
        Assert.That(vote.Reading.Confidence, Is.Zero);
        Assert.That(vote.Readable, Is.Zero);
        Assert.That(vote.Reading.Reasons, Does.Contain("burst_readable:0").And.Contain("burst_agreed:0/2"));
    }

    [Test]
    public void The_vote_does_not_depend_on_the_order_of_the_frames()
    {
        PlateReading[] frames = [Read("AB12CDX", 0.9), Read("AB12CEF", 0.7), Read("A812CDF", 0.8), Unreadable()];
        var forward = PlateBurstVoter.Vote(frames);
        var backward = PlateBurstVoter.Vote(frames.Reverse().ToList());

        Assert.That(backward.Reading.Plate, Is.EqualTo(forward.Reading.Plate));
        Assert.That(backward.Reading.Confidence, Is.EqualTo(forward.Reading.Confidence).Within(1e-12));
    }

    private static PlateReading Read(string plate, double confidence, params CharacterOptions[] characters) =>
        new(PlateReadOutcome.Read, plate, "EU", confidence, null, ImageProblem.None, null, PlateReadTimings.None, [PlateReasons.PlateRead],
            Characters: characters.Length == 0 ? null : characters);

    private static PlateReading Unreadable(ImageProblem problem = ImageProblem.None) =>
        new(problem == ImageProblem.None ? PlateReadOutcome.NoPlateFound : PlateReadOutcome.ImageUnusable, null, null, 0, null, problem, null,
            PlateReadTimings.None, [PlateReasons.NoCandidates]);

    private static CharacterOptions Opt(char c, float p) => new([new CharacterOption(c, p)]);

    private static CharacterOptions Opt2(char c1, float p1, char c2, float p2) => new([new CharacterOption(c1, p1), new CharacterOption(c2, p2)]);

    private static CharacterOptions[] Certain(string text, float p) => text.Select(c => Opt(c, p)).ToArray();
}
