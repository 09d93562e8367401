using System.CommandLine;
using ChargePointSimulator.Biometrics;

namespace ChargePointSimulator.Cli;

/// <summary><c>reader-key</c>: creates (if missing) a biometric reader's P-256 key file and prints its public key for registration.</summary>
public static class ReaderKeyCommand
{
    public static Command Create()
    {
        var keyFile = new Option<FileInfo>("--key-file") { Description = "PKCS#8 PEM of the reader's private key (created when missing)", Required = true };
        var command = new Command("reader-key", "Print the public key (PEM) of a simulated biometric reader") { keyFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(keyFile)!;
            using var reader = file.Exists ? BiometricReader.FromPem(await File.ReadAllTextAsync(file.FullName, cancellationToken)) : new BiometricReader();
            if (!file.Exists)
            {
                await File.WriteAllTextAsync(file.FullName, reader.PrivateKeyPem, cancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            Console.Out.WriteLine(reader.PublicKeyPem);
            return 0;
        });
        return command;
    }
}
