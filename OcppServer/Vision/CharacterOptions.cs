namespace OcppServer.Vision;

/// <summary>A character a recogniser could have meant at one position, with the probability it gave it.</summary>
public readonly record struct CharacterOption(char Char, float Probability);

/// <summary>
/// One character a CTC recogniser emitted, with its alternatives: the plate characters the model gave the most
/// probability at the time step that emitted it, best first (at most a few). <see cref="Blank"/> is the probability of
/// "no character" at that step: a weak character (a sticker, an emblem, a country code read as a letter) has a high one.
/// Format decoding swaps a character for an alternative the format allows and may skip a weak one; burst voting adds
/// the options of the same position across frames.
/// </summary>
public sealed record CharacterOptions(IReadOnlyList<CharacterOption> Options, float Blank = 0)
{
    public CharacterOption Best => Options[0];

    /// <summary>The probability the model gave <paramref name="c"/> here (0 when it is not among the options).</summary>
    public float ProbabilityOf(char c)
    {
        foreach (var option in Options)
        {
            if (option.Char == c)
            {
                return option.Probability;
            }
        }
        return 0;
    }

    public static CharacterOptions Certain(char c) => new([new CharacterOption(c, 1f)]);
}
