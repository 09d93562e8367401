namespace OcppServer.Vision;

/// <summary>
/// Locates the models: the PP-OCRv4 recognition model and dictionary (fetched by the setup script) and the project's
/// plate recogniser (committed); throws a message naming what to do when one is missing.
/// </summary>
internal sealed record ModelFiles(string RecognitionModel, string Dictionary, string DetectionModel, string PlateModel)
{
    public const string SetupCommand = "scripts/setup.sh";

    public static ModelFiles Locate(VisionOptions options)
    {
        var directory = ResolveDirectory(options.ModelDirectory);
        var model = Path.Combine(directory, options.RecognitionModelFile);
        var dictionary = Path.Combine(directory, options.DictionaryFile);
        var detection = Path.Combine(directory, options.DetectionModelFile);
        var missing = new[] { model, dictionary, detection }.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"The plate reader's model is missing ({string.Join(", ", missing)}). Run '{SetupCommand}' from the repository root " +
                $"(it fetches the PP-OCRv4 text models into ./models/ppocr), or point Vision:ModelDirectory at a folder holding " +
                $"{options.RecognitionModelFile}, {options.DetectionModelFile} and {options.DictionaryFile}.", missing[0]);
        }
        var plateModel = ResolveFile(options.PlateModelFile);
        if (!File.Exists(plateModel))
        {
            throw new FileNotFoundException(
                $"The plate recogniser {plateModel} is missing. It is part of the repository (models/lpr); point Vision:PlateModelFile " +
                "at it, or train and export one with tools/lpr (see tools/lpr/README.md).", plateModel);
        }
        return new ModelFiles(model, dictionary, detection, plateModel);
    }

    private static string ResolveFile(string configured)
    {
        var directory = ResolveDirectory(Path.GetDirectoryName(configured) is { Length: > 0 } d ? d : ".");
        return Path.Combine(directory, Path.GetFileName(configured));
    }

    /// <summary>
    /// A relative folder is taken from the working directory first, then from the folders above the application
    /// (the repository root when running from bin/), so `dotnet run`, tests and the benchmark all find ./models.
    /// </summary>
    private static string ResolveDirectory(string configured)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }
        var fromWorkingDirectory = Path.GetFullPath(configured);
        if (Directory.Exists(fromWorkingDirectory))
        {
            return fromWorkingDirectory;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, configured);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return fromWorkingDirectory;
    }
}
