using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OcppServer.Security;

/// <summary>How many wrong credentials are tolerated before further attempts are refused unchecked.</summary>
public sealed class CredentialFailureOptions
{
    public const string Section = "Security:CredentialFailures";

    /// <summary>Failures tolerated per credential (a charge point identity, a camera) before it is locked.</summary>
    public int PerCredentialBurst { get; set; } = 5;

    /// <summary>One more attempt per credential is allowed every this many seconds once the burst is spent.</summary>
    public int PerCredentialRefillSeconds { get; set; } = 60;

    /// <summary>Failures tolerated per source address, over every credential it tries.</summary>
    public int PerAddressBurst { get; set; } = 30;

    /// <summary>One more attempt per source address every this many seconds once the burst is spent.</summary>
    public int PerAddressRefillSeconds { get; set; } = 2;
}

/// <summary>
/// Limits failed attempts at every credential the server checks (charge point passwords, camera keys, operator keys),
/// per credential and per source address, with token buckets from System.Threading.RateLimiting: each failure takes a
/// token; while either bucket is empty the attempt is refused before the credential is even checked, so guessing
/// costs the attacker time and costs the server no PBKDF2. Buckets refill on their own, so a lock ends by itself.
/// </summary>
public sealed class CredentialFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perCredential;
    private readonly PartitionedRateLimiter<string> _perAddress;

    public CredentialFailureLimiter(IOptions<CredentialFailureOptions> options)
    {
        var o = options.Value;
        _perCredential = Create(o.PerCredentialBurst, o.PerCredentialRefillSeconds);
        _perAddress = Create(o.PerAddressBurst, o.PerAddressRefillSeconds);
    }

    /// <summary>Whether an attempt at <paramref name="credential"/> from <paramref name="address"/> may be checked at all.</summary>
    public bool IsLocked(string credential, string? address) =>
        // Not AttemptAcquire(0): the bucket refills continuously, so a fraction of a token would already read as "not empty".
        WholeTokens(_perCredential, credential) < 1 || WholeTokens(_perAddress, address ?? "") < 1;

    private static long WholeTokens(PartitionedRateLimiter<string> limiter, string key) =>
        limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 1;

    /// <summary>Raised for each failure counted on this node (other nodes count it too).</summary>
    public event Action<string, string?>? FailureRecorded;

    /// <summary>Counts a failed attempt against the credential and the address.</summary>
    public void RecordFailure(string credential, string? address)
    {
        RecordFailureHere(credential, address);
        FailureRecorded?.Invoke(credential, address);
    }

    /// <summary>Counts a failure seen by another node, on this node only.</summary>
    public void RecordFailureHere(string credential, string? address)
    {
        _perCredential.AttemptAcquire(credential).Dispose();
        _perAddress.AttemptAcquire(address ?? "").Dispose();
    }

    public void Dispose()
    {
        _perCredential.Dispose();
        _perAddress.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int burst, int refillSeconds) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(refillSeconds),
            AutoReplenishment = true,
            QueueLimit = 0,
        }));
}
