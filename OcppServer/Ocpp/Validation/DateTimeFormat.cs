namespace OcppServer.Ocpp.Validation;

/// <summary>
/// The <c>date-time</c> format: RFC 3339 §5.6 <c>date-time</c>, as JsonSchema.Net checks it — 'T', 't', ' ' or '_'
/// between date and time, any number of fraction digits, 'Z', 'z' or a ±hh:mm offset, and a leap second (:60) only at
/// 23:59 UTC.
/// </summary>
internal static class DateTimeFormat
{
    public static bool IsValid(ReadOnlySpan<byte> text)
    {
        // yyyy-mm-ddThh:mm:ss[.f…](Z|±hh:mm)
        if (text.Length < 20
            || !Number(text, 0, 4, out int year) || text[4] != '-' || !Number(text, 5, 2, out int month) || text[7] != '-'
            || !Number(text, 8, 2, out int day) || text[10] is not ((byte)'T' or (byte)'t' or (byte)' ' or (byte)'_')
            || !Number(text, 11, 2, out int hour) || text[13] != ':' || !Number(text, 14, 2, out int minute) || text[16] != ':'
            || !Number(text, 17, 2, out int second))
        {
            return false;
        }

        int offsetStart = 19;
        if (text[19] == '.')
        {
            offsetStart = 20;
            while (offsetStart < text.Length && char.IsAsciiDigit((char)text[offsetStart]))
            {
                offsetStart++;
            }

            if (offsetStart == 20)
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var offset = text[offsetStart..];
        if (offset.Length == 1 && offset[0] is (byte)'Z' or (byte)'z')
        {
            return second < 60 || (hour == 23 && minute == 59);
        }

        if (offset.Length != 6 || offset[0] is not ((byte)'+' or (byte)'-') || !Number(offset, 1, 2, out int offsetHour)
            || offset[3] != ':' || !Number(offset, 4, 2, out int offsetMinute) || offsetHour > 23 || offsetMinute > 59)
        {
            return false;
        }

        return second < 60 || IsLastMinuteOfUtcDay(hour, minute, offset[0] == '+' ? -offsetHour : offsetHour, offset[0] == '+' ? -offsetMinute : offsetMinute);
    }

    private static bool IsLastMinuteOfUtcDay(int hour, int minute, int toUtcHours, int toUtcMinutes)
    {
        int minutes = ((((hour + toUtcHours) * 60) + minute + toUtcMinutes) % 1440 + 1440) % 1440;
        return minutes == 1439;
    }

    // Proleptic Gregorian, so year 0000 (a leap year) is a date too; RFC 3339 allows it.
    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool Number(ReadOnlySpan<byte> text, int start, int length, out int value)
    {
        value = 0;
        foreach (byte c in text.Slice(start, length))
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }
}
