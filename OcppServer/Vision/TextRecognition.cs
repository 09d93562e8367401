namespace OcppServer.Vision;

/// <summary>
/// Text read from one crop: the characters kept by CTC decoding and each one's probability, and per character its
/// alternatives (<see cref="Characters"/>, same length as <see cref="Text"/> when the recogniser gives them).
/// </summary>
internal sealed record TextRecognition(string Text, IReadOnlyList<float> CharProbabilities, IReadOnlyList<CharacterOptions>? Characters = null)
{
    public static readonly TextRecognition Empty = new("", [], []);

    /// <summary>Geometric mean of the character probabilities (0 when nothing was read).</summary>
    public double Confidence => CharProbabilities.Count == 0
        ? 0
        : Math.Exp(CharProbabilities.Average(p => Math.Log(Math.Max(p, 1e-6))));
}
