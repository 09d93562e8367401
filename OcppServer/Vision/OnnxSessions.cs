using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace OcppServer.Vision;

/// <summary>How the plate reader opens its ONNX models: one thread per call, sequential, every graph optimisation.</summary>
internal static class OnnxSessions
{
    /// <summary>
    /// A session that runs each call on the caller's thread only (the reader's workers are its parallelism, one core each).
    /// </summary>
    public static InferenceSession SingleThreaded(string modelFile)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(modelFile, options);
    }
}
