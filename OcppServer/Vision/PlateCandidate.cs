using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>A region that may hold a plate, in the pixel coordinates of the decoded image.</summary>
internal sealed record PlateCandidate(RotatedRect Box, double Score, string Source, bool IsTextRow);
