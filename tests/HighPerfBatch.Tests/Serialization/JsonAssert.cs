using System.Globalization;
using System.Text.Json;

namespace HighPerfBatch.Tests.Serialization;

/// <summary>Compares JSON by meaning: object members in any order, numbers by value, strings exactly.</summary>
internal static class JsonAssert
{
    public static void Equivalent(string expected, string actual)
    {
        using var expectedDocument = JsonDocument.Parse(expected);
        using var actualDocument = JsonDocument.Parse(actual);
        Equivalent(expectedDocument.RootElement, actualDocument.RootElement, "$");
    }

    public static void Equivalent(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind} {Show(expected)}, got {actual.ValueKind} {Show(actual)}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
                Assert.True(expectedNames.SequenceEqual(actualNames), $"{path}: expected members [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]");
                foreach (var property in expected.EnumerateObject())
                {
                    Equivalent(property.Value, actual.GetProperty(property.Name), path + "." + property.Name);
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()}");
                var index = 0;
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    Equivalent(e, a, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual.GetString(), $"{path}: expected {Show(expected)}, got {Show(actual)}");
                break;
            case JsonValueKind.Number:
                if (expected.TryGetDecimal(out var expectedDecimal) && actual.TryGetDecimal(out var actualDecimal))
                {
                    Assert.True(expectedDecimal == actualDecimal, $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }
                else
                {
                    Assert.True(
                        expected.GetDouble().Equals(actual.GetDouble()),
                        $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
        }
    }

    private static string Show(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length > 200 ? text[..200] + "..." : text;
    }

    public static string Describe(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
