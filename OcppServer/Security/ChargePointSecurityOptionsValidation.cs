using Microsoft.Extensions.Options;

namespace OcppServer.Security;

/// <summary>At start: the configured CA, CA key and CRL files can be read and belong together; the failure says which and why.</summary>
public sealed class ChargePointSecurityOptionsValidation : IValidateOptions<ChargePointSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, ChargePointSecurityOptions options) =>
        options.ChargePointCertificateDays is < 1 or > 3650
            ? ValidateOptionsResult.Fail($"{ChargePointSecurityOptions.Section}:ChargePointCertificateDays must be 1 to 3650")
            : ChargePointCertificateAuthority.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
