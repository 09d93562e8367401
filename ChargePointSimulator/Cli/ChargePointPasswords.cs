using System.Security.Cryptography;
using System.Text;

namespace ChargePointSimulator.Cli;

/// <summary>
/// The AuthorizationKey (Basic password, security profile 1) the simulator registers a charge point with when none is
/// given: 16 bytes derived from the operator key and the identity (HMAC-SHA256), as 32 hex characters. Only a holder of
/// the operator key (who may set any password anyway) can derive it, and every process of a load run, and every rerun,
/// arrives at the same key without passing it around.
/// </summary>
public static class ChargePointPasswords
{
    public static string For(string apiKey, string chargePointId) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("ocppauth-simulator|" + apiKey), Encoding.UTF8.GetBytes(chargePointId)), 0, 16);
}
