namespace OcppServer.Vision;

/// <summary>Plate reader settings, bound from the configuration section <c>Vision</c>.</summary>
public sealed class VisionOptions
{
    public const string Section = "Vision";

    /// <summary>Folder with the PP-OCRv4 recognition model and its dictionary (fetched by <c>scripts/setup.sh</c>).</summary>
    public string ModelDirectory { get; set; } = "./models/ppocr";

    public string RecognitionModelFile { get; set; } = "ch_PP-OCRv4_rec_infer.onnx";

    public string DictionaryFile { get; set; } = "ppocr_keys_v1.txt";

    /// <summary>The PP-OCRv4 text detector (in <see cref="ModelDirectory"/>), run where the fast localiser found nothing readable.</summary>
    public string DetectionModelFile { get; set; } = "ch_PP-OCRv4_det_infer.onnx";

    /// <summary>Longer side, pixels, of the whole image as the text detector sees it when it searches all of it.</summary>
    public int DetectionMaxSide { get; set; } = 640;

    /// <summary>
    /// Which recogniser's reading leads; the other is its second opinion (agreement raises the confidence, dissent
    /// lowers it). <see cref="PlateRecognizerKind.PlateNet"/> by default: on the generated validation scenes it reads more
    /// exactly and its confidence calibrates (<c>plates-calibrate</c>: accepted reads right ≥ 99.5 % from 0.55), which the
    /// general model leading does not (98 %, no threshold reaches 99.5 %).
    /// </summary>
    public PlateRecognizerKind PrimaryRecognizer { get; set; } = PlateRecognizerKind.PlateNet;

    /// <summary>
    /// The project's plate recogniser (ONNX, trained by <c>tools/lpr/train.py</c>; committed with the repository, see
    /// models/lpr/README.md). A relative path is taken from the working directory, then from the folders above the application.
    /// </summary>
    public string PlateModelFile { get; set; } = "./models/lpr/platenet.onnx";

    /// <summary>Largest encoded image accepted, bytes.</summary>
    public int MaxImageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest decoded image accepted, width × height (checked from the header before decoding).</summary>
    public long MaxPixels { get; set; } = 5000L * 4000L;

    /// <summary>Smallest accepted image side, pixels.</summary>
    public int MinImageSide { get; set; } = 64;

    /// <summary>Below this variance of the Laplacian (of the image scaled to 640 pixels wide) the image is too blurred.</summary>
    public double MinBlurVariance { get; set; } = 12;

    /// <summary>Mean grey level (0–255) below which the image is too dark.</summary>
    public double MinMeanBrightness { get; set; } = 22;

    /// <summary>Mean grey level (0–255) above which the image is too bright.</summary>
    public double MaxMeanBrightness { get; set; } = 238;

    /// <summary>
    /// Readings below this confidence are flagged <c>low_confidence</c>; the camera path records them as LowConfidence (the
    /// attendant's path). Calibrated: the lowest threshold at which accepted reads of generated validation scenes are right
    /// at least 99.5 % of the time (<c>OcppServer.Benchmarks plates-calibrate</c>; 0.55 for models/lpr at step 14,000).
    /// </summary>
    public double MinConfidence { get; set; } = 0.55;

    /// <summary>
    /// Plate formats a reading is validated against when no station's formats are used: format names of the
    /// <see cref="PlateFormatCatalogue"/> (CN-Blue, CN-Green, BR-Mercosur, Generic; EU is the former name of Generic)
    /// or region codes (DE, US-CA: all the region's formats). Empty means <see cref="PlateFormats.DefaultNames"/>.
    /// (No default list here: configuration binding adds to an array, it cannot shrink it.)
    /// </summary>
    public string[] Formats { get; set; } = [];

    /// <summary>
    /// An operator's plate format file (same shape as <c>OcppServer/Vision/Formats/plate-formats.json</c>): its regions
    /// are added to the shipped ones, or replace the shipped region with the same code; its <c>generic</c> entry, if
    /// any, replaces the generic rule. Empty: the shipped file alone. A wrong file stops the server at start.
    /// </summary>
    public string? FormatsFile { get; set; }

    /// <summary>
    /// Plate regions (catalogue codes, e.g. DE, AT) whose formats are tried for a station without a plate region,
    /// before the generic rule. Empty: every format of the catalogue, then the generic rule.
    /// </summary>
    public string[] DefaultRegions { get; set; } = [];

    /// <summary>How many candidate regions are read at most per image.</summary>
    public int MaxCandidates { get; set; } = 6;

    /// <summary>Images read at the same time (each on one core).</summary>
    public int WorkerCount { get; set; } = 1;

    /// <summary>Images waiting for a worker; past this the reader refuses with <see cref="PlateReaderBusyException"/>.</summary>
    public int QueueLimit { get; set; } = 16;

    /// <summary>What a refused caller is told to wait before trying again.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// Most frames (images) of one passage: in one multipart request (several <c>image</c> parts), and in all the requests
    /// that share a passage id.
    /// </summary>
    public int MaxBurstFrames { get; set; } = 8;

    /// <summary>Largest total of the images of one request, bytes (each image is also limited by <see cref="MaxImageBytes"/>).</summary>
    public long MaxBurstBytes { get; set; } = 24L * 1024 * 1024;

    /// <summary>
    /// Frames of one camera sent with the same passage id join the passage while their <c>capturedAt</c> is within this
    /// many seconds of the passage's first frame; a later one starts a new passage (a new record).
    /// </summary>
    public int BurstWindowSeconds { get; set; } = 5;

    /// <summary>The largest request body the capture endpoint accepts: the larger of one image and a burst, plus the form's overhead.</summary>
    public long MaxCaptureRequestBytes => Math.Max(MaxImageBytes, MaxBurstBytes) + 64 * 1024;
}

/// <summary>The two text recognisers of the plate reader.</summary>
public enum PlateRecognizerKind
{
    /// <summary>PaddleOCR PP-OCRv4 (general text, Chinese and Latin), on the rectified character row.</summary>
    PpOcr,

    /// <summary>PlateNet, the project's plate recogniser (models/lpr), at two crop paddings.</summary>
    PlateNet,
}
