namespace ChargePointSimulator.Camera;

/// <summary>The kinds of licence plate the scene generator can draw.</summary>
public enum PlateStyle
{
    /// <summary>EU/UK-style alphanumeric plate, black on white, blue band on the left.</summary>
    EuWhite,

    /// <summary>EU/UK-style alphanumeric plate, black on yellow, blue band on the left.</summary>
    EuYellow,

    /// <summary>Chinese blue plate: province character, letter, five characters; white on blue.</summary>
    CnBlue,

    /// <summary>Chinese new-energy plate: province character, letter, six characters; black on a green gradient.</summary>
    CnGreen,
}

public static class PlateStyles
{
    public static bool IsChinese(this PlateStyle style) => style is PlateStyle.CnBlue or PlateStyle.CnGreen;
}
