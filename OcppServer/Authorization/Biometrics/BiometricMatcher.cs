using Microsoft.Extensions.Options;

namespace OcppServer.Authorization.Biometrics;

public sealed record BiometricMatchResult(bool Matched, string Reason, string? DriverId, double? Similarity, double? RunnerUp);

/// <summary>
/// Matches a verified template by identification over the whole gallery, always: the best-scoring enrolled driver must
/// clear the threshold and beat the runner-up by the identification margin. A claim (the id tag an Authorize named) is
/// never matched 1:1 on its own: a look-alike who taps another driver's card would clear the threshold against that
/// driver while matching themselves far better. The gate then requires the identified driver to be the claimed one.
/// </summary>
public sealed class BiometricMatcher(TemplateGallery gallery, IOptionsMonitor<BiometricOptions> options)
{
    public async Task<BiometricMatchResult> MatchAsync(float[] template, double threshold, CancellationToken cancellationToken)
    {
        var probe = TemplateCodec.Normalize(template);
        if (probe is null)
        {
            return new BiometricMatchResult(false, "TemplateInvalid", null, null, null);
        }

        var scores = await gallery.IdentifyAsync(probe, cancellationToken);
        if (scores.BestDriverId is null)
        {
            return new BiometricMatchResult(false, "NoEnrolledTemplates", null, null, null);
        }

        if (scores.Best < threshold)
        {
            return new BiometricMatchResult(false, "NoMatch", null, scores.Best, scores.RunnerUp);
        }

        if (scores.Best - scores.RunnerUp < options.CurrentValue.IdentificationMargin)
        {
            return new BiometricMatchResult(false, "Ambiguous", null, scores.Best, scores.RunnerUp);
        }

        return new BiometricMatchResult(true, "Matched", scores.BestDriverId, scores.Best, scores.RunnerUp);
    }
}
