using Microsoft.Extensions.Options;

namespace OcppServer.Authorization.Biometrics;

public sealed record BiometricMatchResult(bool Matched, string Reason, string? DriverId, double? Similarity, double? RunnerUp);

/// <summary>
/// Matches a verified template: 1:1 against the driver already claimed at the charge point, otherwise 1:N over all
/// enrolled drivers, where the best must clear the threshold and beat the runner-up by the configured margin.
/// </summary>
public sealed class BiometricMatcher(TemplateGallery gallery, IOptionsMonitor<BiometricOptions> options)
{
    public async Task<BiometricMatchResult> MatchAsync(float[] template, string? claimedDriverId, double threshold, CancellationToken cancellationToken)
    {
        var probe = TemplateCodec.Normalize(template);
        if (probe is null)
        {
            return new BiometricMatchResult(false, "TemplateInvalid", null, null, null);
        }

        if (claimedDriverId is not null)
        {
            double? score = await gallery.VerifyAsync(probe, claimedDriverId, cancellationToken);
            return score switch
            {
                null => new BiometricMatchResult(false, "NoEnrolledTemplate", claimedDriverId, null, null),
                _ when score >= threshold => new BiometricMatchResult(true, "Matched", claimedDriverId, score, null),
                _ => new BiometricMatchResult(false, "NoMatch", claimedDriverId, score, null),
            };
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
