using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// Reads one line of text with the PaddleOCR PP-OCRv4 recognition model (input 3×48×W, BGR scaled to −1..1;
/// output per time step a probability for CTC blank, each dictionary character and space). Decoding is greedy CTC
/// restricted to characters that can appear on a plate (letters, digits, province characters and separators),
/// so the model cannot answer with a look-alike from the other 6,000 characters it knows.
/// One session is created and reused; it runs on one thread per call.
/// </summary>
internal sealed class PaddleTextRecognizer : IDisposable
{
    public const int InputHeight = 48;
    private const int MaxInputWidth = 480;
    private const string Separators = "·-. ";
    private const int MaxOptions = 3;
    private const float MinOptionProbability = 0.01f;

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly int[] _allowedClasses;
    private readonly char[] _classChars;

    public PaddleTextRecognizer(ModelFiles files)
    {
        var dictionary = File.ReadAllLines(files.Dictionary);
        // Class 0 is the CTC blank, then the dictionary, then a space.
        _classChars = new char[dictionary.Length + 2];
        _classChars[^1] = ' ';
        for (var i = 0; i < dictionary.Length; i++)
        {
            _classChars[i + 1] = dictionary[i].Length == 1 ? dictionary[i][0] : '\0';
        }
        _allowedClasses = Enumerable.Range(1, _classChars.Length - 1)
            .Where(i => IsPlateCharacter(_classChars[i]))
            .Prepend(0)
            .ToArray();

        _session = OnnxSessions.SingleThreaded(files.RecognitionModel);
        _inputName = _session.InputMetadata.Keys.First();
    }

    /// <summary>Reads a BGR crop that holds one line of text.</summary>
    public TextRecognition Recognize(Mat bgrLine)
    {
        if (bgrLine.Empty() || bgrLine.Width < 4 || bgrLine.Height < 4)
        {
            return TextRecognition.Empty;
        }
        var width = (int)Math.Clamp(Math.Ceiling(InputHeight * (double)bgrLine.Width / bgrLine.Height), 16, MaxInputWidth);
        using var resized = new Mat();
        Cv2.Resize(bgrLine, resized, new Size(width, InputHeight), 0, 0, InterpolationFlags.Linear);

        var tensor = new DenseTensor<float>([1, 3, InputHeight, width]);
        var span = tensor.Buffer.Span;
        var plane = InputHeight * width;
        var pixels = resized.AsSpan<byte>(); // continuous BGR rows after Resize
        for (var offset = 0; offset < plane; offset++)
        {
            span[offset] = pixels[3 * offset] / 127.5f - 1f;
            span[plane + offset] = pixels[3 * offset + 1] / 127.5f - 1f;
            span[2 * plane + offset] = pixels[3 * offset + 2] / 127.5f - 1f;
        }

        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)]);
        var output = results[0].AsTensor<float>();
        return Decode(output);
    }

    private TextRecognition Decode(Tensor<float> output)
    {
        var steps = output.Dimensions[1];
        var chars = new List<char>();
        var probabilities = new List<float>();
        var characters = new List<CharacterOptions>();
        var previous = 0;
        for (var t = 0; t < steps; t++)
        {
            var best = 0;
            var bestP = float.MinValue;
            foreach (var c in _allowedClasses)
            {
                var p = output[0, t, c];
                if (p > bestP)
                {
                    bestP = p;
                    best = c;
                }
            }
            if (best != 0 && best != previous)
            {
                var ch = _classChars[best];
                if (!Separators.Contains(ch))
                {
                    chars.Add(char.ToUpperInvariant(ch));
                    probabilities.Add(bestP);
                    characters.Add(Options(output, t));
                }
            }
            previous = best;
        }
        return new TextRecognition(new string([.. chars]), probabilities, characters);
    }

    /// <summary>
    /// The plate characters the model gave most probability at step <paramref name="t"/>, best first (upper case; a
    /// letter's two cases add up), and the blank's probability there: what format decoding and burst voting use.
    /// </summary>
    private CharacterOptions Options(Tensor<float> output, int t)
    {
        Span<float> byChar = stackalloc float[128];
        byChar.Clear();
        foreach (var c in _allowedClasses)
        {
            var ch = _classChars[c];
            if (c != 0 && ch < 128 && !Separators.Contains(ch))
            {
                byChar[char.ToUpperInvariant(ch)] += output[0, t, c];
            }
        }
        var options = new List<CharacterOption>(MaxOptions);
        for (var k = 0; k < MaxOptions; k++)
        {
            var best = -1;
            for (var ch = 0; ch < byChar.Length; ch++)
            {
                if (byChar[ch] > MinOptionProbability && (best < 0 || byChar[ch] > byChar[best]))
                {
                    best = ch;
                }
            }
            if (best < 0)
            {
                break;
            }
            options.Add(new CharacterOption((char)best, byChar[best]));
            byChar[best] = 0;
        }
        // A province character (outside ASCII) leads on its own when it was the step's choice.
        var top = 0;
        var topP = float.MinValue;
        foreach (var c in _allowedClasses)
        {
            if (c != 0 && output[0, t, c] > topP)
            {
                topP = output[0, t, c];
                top = c;
            }
        }
        if (_classChars[top] >= 128)
        {
            options.Insert(0, new CharacterOption(_classChars[top], topP));
        }
        if (options.Count == 0)
        {
            options.Add(new CharacterOption(_classChars[top], topP));
        }
        return new CharacterOptions(options, output[0, t, 0]);
    }

    private static bool IsPlateCharacter(char c) =>
        c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' || PlateText.IsProvince(c) || Separators.Contains(c);

    public void Dispose() => _session.Dispose();
}
