namespace OcppServer.Vision;

/// <summary>Locates the recognition model and dictionary; throws a message naming the setup command when they are missing.</summary>
internal sealed record ModelFiles(string RecognitionModel, string Dictionary)
{
    public const string SetupCommand = "scripts/setup.sh";

    public static ModelFiles Locate(VisionOptions options)
    {
        var directory = ResolveDirectory(options.ModelDirectory);
        var model = Path.Combine(directory, options.RecognitionModelFile);
        var dictionary = Path.Combine(directory, options.DictionaryFile);
        var missing = new[] { model, dictionary }.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"The plate reader's model is missing ({string.Join(", ", missing)}). Run '{SetupCommand}' from the repository root " +
                $"(it fetches the PP-OCRv4 recognition model into ./models/ppocr), or point Vision:ModelDirectory at a folder holding " +
                $"{options.RecognitionModelFile} and {options.DictionaryFile}.", missing[0]);
        }
        return new ModelFiles(model, dictionary);
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
