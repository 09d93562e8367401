using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Tests.Vision;

/// <summary>The pipeline's rule for a text line found twice (by the regional search and again over the whole image).</summary>
public sealed class PlateReadingPipelineTests
{
    [Test]
    public void A_line_found_again_with_a_box_a_few_pixels_off_is_the_same_line()
    {
        Assert.That(PlateReadingPipeline.SameLine(new Rect(100, 200, 180, 40), new Rect(103, 198, 178, 43)), Is.True);
    }

    [Test]
    public void A_line_inside_a_larger_one_or_beside_it_is_another_line()
    {
        // The plate's number row inside a box that also holds the state name above it: both are worth reading.
        Assert.That(PlateReadingPipeline.SameLine(new Rect(100, 200, 180, 80), new Rect(100, 240, 180, 40)), Is.False);
        // The next line of a two-line plate.
        Assert.That(PlateReadingPipeline.SameLine(new Rect(100, 200, 180, 40), new Rect(100, 240, 180, 40)), Is.False);
        Assert.That(PlateReadingPipeline.SameLine(new Rect(0, 0, 0, 0), new Rect(0, 0, 0, 0)), Is.False);
    }
}
