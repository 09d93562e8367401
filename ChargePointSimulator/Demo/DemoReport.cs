namespace ChargePointSimulator.Demo;

/// <summary>Prints each step with PASS/FAIL and counts the failures (the exit code).</summary>
public sealed class DemoReport(TextWriter output)
{
    private readonly Lock _lock = new();

    public int Failures { get; private set; }

    public int Passes { get; private set; }

    public void Heading(string text)
    {
        lock (_lock)
        {
            output.WriteLine();
            output.WriteLine($"== {text}");
        }
    }

    public void Info(string text)
    {
        lock (_lock)
        {
            output.WriteLine($"       {text}");
        }
    }

    /// <summary>A step whose outcome is checked: PASS when <paramref name="ok"/>.</summary>
    public bool Step(string name, bool ok, string detail)
    {
        lock (_lock)
        {
            if (ok)
            {
                Passes++;
            }
            else
            {
                Failures++;
            }

            output.WriteLine($"{(ok ? "PASS" : "FAIL"),-6} {name}: {detail}");
            return ok;
        }
    }
}
