using OcppServer.Registry;

namespace OcppServer.Authorization.Biometrics;

/// <summary>Best score of a probe against the enrolled templates.</summary>
public sealed record GalleryScores(string? BestDriverId, double Best, double RunnerUp, int Compared);

/// <summary>
/// The enrolled templates, decrypted once into one contiguous matrix of unit vectors so that 1:N identification is a
/// run of SIMD dot products. Enrolment replaces the snapshot (copy on write); readers never lock.
/// </summary>
public sealed class TemplateGallery(IDriverStore drivers, TemplateProtector protector)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;
    private long _version;

    /// <summary>Raised when a template was enrolled on this node (other nodes must reload theirs).</summary>
    public event Action? Changed;

    /// <summary>Drops the loaded templates (one was enrolled elsewhere): the next identification reloads them.</summary>
    public void Reset()
    {
        Interlocked.Increment(ref _version);
        _snapshot = null;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken) => (await GetAsync(cancellationToken)).DriverIds.Length;

    /// <summary>1:N: the best-matching driver and the best score of any other driver.</summary>
    public async Task<GalleryScores> IdentifyAsync(float[] probe, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return snapshot.Identify(probe);
    }

    /// <summary>1:1: the best score of the driver's own templates (null when none are enrolled).</summary>
    public async Task<double?> VerifyAsync(float[] probe, string driverId, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return snapshot.Verify(probe, driverId);
    }

    /// <summary>Adds a freshly enrolled unit template, already committed to the database.</summary>
    public async Task AddAsync(string driverId, float[] unitTemplate, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Not loaded yet: the first load reads this template from the database with all the others.
            Interlocked.Increment(ref _version);
            _snapshot = _snapshot is null ? await LoadAsync(cancellationToken) : _snapshot.With(driverId, unitTemplate);
        }
        finally
        {
            _gate.Release();
        }

        Changed?.Invoke();
    }

    private async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } loaded)
            {
                return loaded;
            }

            // Kept only if no reset came while loading (the load may have missed what caused it).
            long version = Interlocked.Read(ref _version);
            var snapshot = await LoadAsync(cancellationToken);
            if (Interlocked.Read(ref _version) == version)
            {
                _snapshot = snapshot;
            }

            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await drivers.GetAllTemplatesAsync(cancellationToken);
        var ids = new List<string>(rows.Count);
        var vectors = new List<float[]>(rows.Count);
        foreach (var row in rows)
        {
            if (TemplateCodec.Normalize(protector.Decrypt(row.Id, row.DriverId, row.Nonce, row.Ciphertext, row.Tag)) is { } unit)
            {
                ids.Add(row.DriverId);
                vectors.Add(unit);
            }
        }

        return Snapshot.From(ids, vectors);
    }

    private sealed class Snapshot(float[] matrix, string[] driverIds, int dimension)
    {
        public static Snapshot Empty { get; } = new([], [], 0);

        public string[] DriverIds { get; } = driverIds;

        public static Snapshot From(IReadOnlyList<string> driverIds, IReadOnlyList<float[]> vectors)
        {
            if (vectors.Count == 0)
            {
                return Empty;
            }

            int dimension = vectors[0].Length;
            var kept = Enumerable.Range(0, vectors.Count).Where(i => vectors[i].Length == dimension).ToList();
            float[] matrix = new float[kept.Count * dimension];
            for (int k = 0; k < kept.Count; k++)
            {
                vectors[kept[k]].CopyTo(matrix, k * dimension);
            }

            return new Snapshot(matrix, kept.Select(i => driverIds[i]).ToArray(), dimension);
        }

        public Snapshot With(string driverId, float[] unit)
        {
            if (dimension != 0 && unit.Length != dimension)
            {
                throw new InvalidOperationException($"Template has {unit.Length} values; the gallery holds {dimension}");
            }

            float[] grown = new float[matrix.Length + unit.Length];
            matrix.CopyTo(grown, 0);
            unit.CopyTo(grown, matrix.Length);
            return new Snapshot(grown, [.. DriverIds, driverId], unit.Length);
        }

        public GalleryScores Identify(float[] probe)
        {
            if (probe.Length != dimension || DriverIds.Length == 0)
            {
                return new GalleryScores(null, 0, 0, 0);
            }

            string? bestDriver = null;
            double best = double.NegativeInfinity;
            double runnerUp = double.NegativeInfinity;
            var span = matrix.AsSpan();
            for (int i = 0; i < DriverIds.Length; i++)
            {
                double score = VectorMath.Dot(probe, span.Slice(i * dimension, dimension));
                string driver = DriverIds[i];
                if (driver == bestDriver)
                {
                    best = Math.Max(best, score);
                }
                else if (score > best)
                {
                    runnerUp = best;
                    best = score;
                    bestDriver = driver;
                }
                else
                {
                    runnerUp = Math.Max(runnerUp, score);
                }
            }

            return new GalleryScores(bestDriver, best, double.IsNegativeInfinity(runnerUp) ? -1 : runnerUp, DriverIds.Length);
        }

        public double? Verify(float[] probe, string driverId)
        {
            if (probe.Length != dimension)
            {
                return null;
            }

            double? best = null;
            var span = matrix.AsSpan();
            for (int i = 0; i < DriverIds.Length; i++)
            {
                if (DriverIds[i] == driverId)
                {
                    double score = VectorMath.Dot(probe, span.Slice(i * dimension, dimension));
                    best = best is null ? score : Math.Max(best.Value, score);
                }
            }

            return best;
        }
    }
}
