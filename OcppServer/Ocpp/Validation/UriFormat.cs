namespace OcppServer.Ocpp.Validation;

/// <summary>The <c>uri</c> format: an absolute URI of ASCII characters, as JsonSchema.Net checks it.</summary>
internal static class UriFormat
{
    public static bool IsValid(string text)
    {
        foreach (char c in text)
        {
            if (c > '\u007f' || c is ' ' or '<' or '>' or '{' or '}' or '|' or '\\' or '^' or '`' or '"')
            {
                return false;
            }
        }

        // System.Uri accepts brackets in the user information, RFC 3986 does not.
        int at = text.IndexOf('@');
        int authority = text.IndexOf("://", StringComparison.Ordinal);
        if (at > 0 && authority >= 0 && text.AsSpan(authority + 3, Math.Max(0, at - authority - 3)).IndexOfAny('[', ']') >= 0)
        {
            return false;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Scheme) && text.IndexOf(':') > 0;
    }
}
