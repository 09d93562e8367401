using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// The project's own plate recogniser (PlateNet, trained by <c>tools/lpr/train.py</c> on rendered plates): a small
/// all-convolutional CTC network. Input 3×32×128 RGB scaled to −1..1, the crop stretched to that size; output per
/// time step (32) the log-probability of the CTC blank and of each character of the model's alphabet (read from the
/// model's metadata, so a retrained model with another alphabet needs no code change). Greedy CTC decoding; every
/// emitted character keeps its <see cref="MaxOptions"/> most probable alternatives and the blank probability at its
/// step, for format decoding and burst voting. One session, reused, one thread per call.
/// </summary>
internal sealed class PlateNetRecognizer : IDisposable
{
    public const int InputHeight = 32;
    public const int InputWidth = 128;
    private const int MaxOptions = 3;

    /// <summary>Alternatives below this probability are not worth carrying.</summary>
    private const float MinOptionProbability = 0.01f;

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly char[] _classChars;

    public PlateNetRecognizer(string modelFile)
    {
        _session = OnnxSessions.SingleThreaded(modelFile);
        _inputName = _session.InputMetadata.Keys.First();
        if (!_session.ModelMetadata.CustomMetadataMap.TryGetValue("alphabet", out var alphabet) || alphabet.Length == 0)
        {
            _session.Dispose();
            throw new InvalidDataException($"The plate model {modelFile} has no 'alphabet' in its metadata (export it with tools/lpr/export.py).");
        }
        _classChars = ['\0', .. alphabet];
        var classes = _session.OutputMetadata.Values.First().Dimensions[^1];
        if (classes != _classChars.Length)
        {
            _session.Dispose();
            throw new InvalidDataException($"The plate model {modelFile} has {classes} classes but its alphabet gives {_classChars.Length}.");
        }
        Step = _session.ModelMetadata.CustomMetadataMap.TryGetValue("step", out var step) ? step : null;
    }

    /// <summary>The training step the model was exported at (from its metadata), for the logs.</summary>
    public string? Step { get; }

    /// <summary>Reads a BGR crop that holds one plate.</summary>
    public TextRecognition Recognize(Mat bgrPlate)
    {
        if (bgrPlate.Empty() || bgrPlate.Width < 4 || bgrPlate.Height < 4)
        {
            return TextRecognition.Empty;
        }
        using var resized = new Mat();
        var interpolation = bgrPlate.Width > InputWidth ? InterpolationFlags.Area : InterpolationFlags.Linear;
        Cv2.Resize(bgrPlate, resized, new Size(InputWidth, InputHeight), 0, 0, interpolation);

        var tensor = new DenseTensor<float>([1, 3, InputHeight, InputWidth]);
        var span = tensor.Buffer.Span;
        const int plane = InputHeight * InputWidth;
        var pixels = resized.AsSpan<byte>(); // continuous BGR rows after Resize
        for (var offset = 0; offset < plane; offset++)
        {
            // The network was trained on RGB.
            span[offset] = pixels[3 * offset + 2] / 127.5f - 1f;
            span[plane + offset] = pixels[3 * offset + 1] / 127.5f - 1f;
            span[2 * plane + offset] = pixels[3 * offset] / 127.5f - 1f;
        }

        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)]);
        var output = results[0].AsTensor<float>();
        return Decode(output);
    }

    private TextRecognition Decode(Tensor<float> logProbabilities)
    {
        var steps = logProbabilities.Dimensions[1];
        var classes = logProbabilities.Dimensions[2];
        var chars = new List<char>();
        var probabilities = new List<float>();
        var characters = new List<CharacterOptions>();
        var previous = 0;
        Span<float> row = stackalloc float[classes];
        for (var t = 0; t < steps; t++)
        {
            var best = 0;
            for (var c = 0; c < classes; c++)
            {
                row[c] = MathF.Exp(logProbabilities[0, t, c]);
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            if (best != 0 && best != previous)
            {
                chars.Add(_classChars[best]);
                probabilities.Add(row[best]);
                characters.Add(new CharacterOptions(TopOptions(row), row[0]));
            }
            else if (best != 0 && best == previous && row[best] > probabilities[^1])
            {
                // The same character over several steps: keep the step where the model was surest.
                probabilities[^1] = row[best];
                characters[^1] = new CharacterOptions(TopOptions(row), row[0]);
            }
            previous = best;
        }
        return new TextRecognition(new string([.. chars]), probabilities, characters);
    }

    /// <summary>The most probable non-blank classes of one step, best first.</summary>
    private CharacterOption[] TopOptions(ReadOnlySpan<float> row)
    {
        Span<int> top = stackalloc int[MaxOptions];
        var count = 0;
        for (var c = 1; c < row.Length; c++)
        {
            var p = row[c];
            if ((count > 0 && p < MinOptionProbability) || (count == MaxOptions && p <= row[top[MaxOptions - 1]]))
            {
                continue;
            }
            // Insertion into the sorted slots; when they are full the last one drops out.
            var at = count < MaxOptions ? count++ : MaxOptions - 1;
            while (at > 0 && row[top[at - 1]] < p)
            {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = c;
        }
        var options = new CharacterOption[count];
        for (var i = 0; i < count; i++)
        {
            options[i] = new CharacterOption(_classChars[top[i]], row[top[i]]);
        }
        return options;
    }

    public void Dispose() => _session.Dispose();
}
