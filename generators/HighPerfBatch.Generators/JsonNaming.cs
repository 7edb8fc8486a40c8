using System.Globalization;
using System.Text;

namespace HighPerfBatch.Generators;

/// <summary>
/// The naming policies of System.Text.Json (<c>JsonKnownNamingPolicy</c>), applied at compile time. The algorithms are
/// those of <c>JsonCamelCaseNamingPolicy</c> and <c>JsonSeparatorNamingPolicy</c>, so names match what System.Text.Json writes.
/// </summary>
internal static class JsonNaming
{
    // JsonKnownNamingPolicy values.
    public const int Unspecified = 0;
    public const int CamelCase = 1;
    public const int SnakeCaseLower = 2;
    public const int SnakeCaseUpper = 3;
    public const int KebabCaseLower = 4;
    public const int KebabCaseUpper = 5;

    public static bool IsKnown(int policy) => policy is >= Unspecified and <= KebabCaseUpper;

    public static string Convert(string name, int policy) => policy switch
    {
        CamelCase => ToCamelCase(name),
        SnakeCaseLower => ToSeparated(name, lowercase: true, '_'),
        SnakeCaseUpper => ToSeparated(name, lowercase: false, '_'),
        KebabCaseLower => ToSeparated(name, lowercase: true, '-'),
        KebabCaseUpper => ToSeparated(name, lowercase: false, '-'),
        _ => name,
    };

    private static string ToCamelCase(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsUpper(name[0]))
        {
            return name;
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            var hasNext = i + 1 < chars.Length;

            // Stop when the next char is already lowercase; a following space lowercases the current one first.
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private enum SeparatorState
    {
        NotStarted,
        UppercaseLetter,
        LowercaseLetterOrDigit,
        SpaceSeparator,
    }

    private static string ToSeparated(string name, bool lowercase, char separator)
    {
        var builder = new StringBuilder(name.Length + 8);
        var state = SeparatorState.NotStarted;
        for (var i = 0; i < name.Length; i++)
        {
            var current = name[i];
            var category = char.GetUnicodeCategory(current);
            switch (category)
            {
                case UnicodeCategory.UppercaseLetter:
                    switch (state)
                    {
                        case SeparatorState.LowercaseLetterOrDigit:
                        case SeparatorState.SpaceSeparator:
                            builder.Append(separator);
                            break;
                        case SeparatorState.UppercaseLetter:
                            // In a run of capitals the last one starts a new word when a lowercase letter follows:
                            // "XMLReader" -> "xml_reader".
                            if (i + 1 < name.Length && char.IsLower(name[i + 1]))
                            {
                                builder.Append(separator);
                            }

                            break;
                    }

                    builder.Append(lowercase ? char.ToLowerInvariant(current) : current);
                    state = SeparatorState.UppercaseLetter;
                    break;

                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.DecimalDigitNumber:
                    if (state == SeparatorState.SpaceSeparator)
                    {
                        builder.Append(separator);
                    }

                    builder.Append(!lowercase && category == UnicodeCategory.LowercaseLetter ? char.ToUpperInvariant(current) : current);
                    state = SeparatorState.LowercaseLetterOrDigit;
                    break;

                case UnicodeCategory.SpaceSeparator:
                    // Spaces are trimmed at the ends and become one separator between words.
                    if (state != SeparatorState.NotStarted)
                    {
                        state = SeparatorState.SpaceSeparator;
                    }

                    break;

                default:
                    builder.Append(current);
                    state = SeparatorState.NotStarted;
                    break;
            }
        }

        return builder.ToString();
    }
}
