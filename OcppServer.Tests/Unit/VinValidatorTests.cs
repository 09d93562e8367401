using OcppServer.Registry;

namespace OcppServer.Tests.Unit;

public sealed class VinValidatorTests
{
    [TestCase("1M8GDM9AXKP042788")] // the classic ISO 3779 / NHTSA example, check digit X
    [TestCase("1HGCM82633A004352")]
    [TestCase("11111111111111111")]
    public void Valid_vins_pass_with_check_digit(string vin) =>
        Assert.That(VinValidator.Check(vin, requireCheckDigit: true), Is.EqualTo(VinProblem.None));

    [TestCase("1M8GDM9A1KP042788", VinProblem.CheckDigitMismatch)]
    [TestCase("1M8GDM9AXKP04278", VinProblem.WrongLength)]
    [TestCase("1M8GDM9AXKP0427888", VinProblem.WrongLength)]
    [TestCase("1M8GDM9AXKP04278O", VinProblem.InvalidCharacter)]
    [TestCase("IM8GDM9AXKP042788", VinProblem.InvalidCharacter)]
    [TestCase("QM8GDM9AXKP042788", VinProblem.InvalidCharacter)]
    [TestCase("1m8gdm9axkp042788", VinProblem.InvalidCharacter)]
    public void Invalid_vins_are_refused(string vin, VinProblem expected) =>
        Assert.That(VinValidator.Check(vin, requireCheckDigit: true), Is.EqualTo(expected));

    [Test]
    public void Check_digit_can_be_waived_for_vins_that_lack_it()
    {
        Assert.That(VinValidator.Check("WVWZZZ1JZXW000001", requireCheckDigit: false), Is.EqualTo(VinProblem.None));
        Assert.That(VinValidator.Check("WVWZZZ1JZXW000001", requireCheckDigit: true), Is.EqualTo(VinProblem.CheckDigitMismatch));
    }

    [Test]
    public void Computed_check_digit_makes_a_vin_valid()
    {
        string vin = "5YJ3E1EA7KF32";
        vin = (vin + "1234")[..17];
        string fixedVin = vin[..8] + VinValidator.ComputeCheckDigit(vin) + vin[9..];
        Assert.That(VinValidator.Check(fixedVin, requireCheckDigit: true), Is.EqualTo(VinProblem.None));
    }

    [TestCase(" ab-12 cd.34 ", "AB12CD34")]
    [TestCase("京A·12345", "京A12345")]
    public void Plates_are_normalised(string raw, string expected) => Assert.That(PlateText.Normalize(raw), Is.EqualTo(expected));
}
