using Shop.Telemetry;

namespace HighPerfBatch.Tests.Serialization;

internal static class Samples
{
    public static PageView[] PageViews(int count)
    {
        var start = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);
        var items = new PageView[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = new PageView(
                UserId: 1_000_000L + i,
                Url: "https://shop.example.com/products/" + i + "?ref=home&utm_source=newsletter",
                At: start.AddMilliseconds(i * 137.0).ToOffset(TimeSpan.FromHours(i % 3)),
                DurationMs: i % 5 == 0 ? null : i * 3,
                Succeeded: i % 7 != 0);
        }

        return items;
    }

    public static Everything Everything() => new()
    {
        Flag = true,
        U8 = byte.MaxValue,
        I8 = sbyte.MinValue,
        I16 = short.MinValue,
        U16 = ushort.MaxValue,
        I32 = int.MinValue,
        U32 = uint.MaxValue,
        I64 = long.MinValue,
        U64 = ulong.MaxValue,
        F32 = 3.4028235E+38f,
        F64 = -1.7976931348623157E+308,
        Money = -79228162514264337593543950335m,
        Letter = '"',
        Text = "quote \" backslash \\ newline \n tab \t nul \0 bell \u0007 emoji 😀 é ü 中 \u2028 <script>&'",
        Id = Guid.Parse("7bda6944-3793-4843-b769-d2e29c7b5b5a"),
        When = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234500),
        WhenOffset = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromMinutes(-330)).AddTicks(1),
        Day = new DateOnly(1, 1, 1),
        Time = new TimeOnly(23, 59, 59, 999),
        Elapsed = TimeSpan.MinValue,
        Level = Level.Warning,
        LevelName = Level.Info,
        Permissions = Permissions.Read | Permissions.Write,
        Color = Color.Blue,
        MaybeNumber = null,
        MaybeId = Guid.Empty,
        MaybeLevel = Level.Debug,
        Numbers = [1, -2, int.MaxValue],
        Blob = [0, 1, 2, 250, 251, 252, 253, 254, 255],
        Tags = ["a", null, ""],
        Times = [DateTimeOffset.MinValue, DateTimeOffset.MaxValue],
        Counters = new Dictionary<string, int> { ["x"] = 1, ["we\"ird\nkey"] = 2 },
        Addresses = new Dictionary<string, Address?>
        {
            ["home"] = new Address { Street = "Main St", Number = 1, Location = new GeoPoint(52.52, 13.405) },
            ["none"] = null,
        },
        Home = new Address { Street = null, Number = -1 },
        Point = new GeoPoint(-90, 180),
        MaybePoint = null,
        Matrix = [[1, 2], [], [3]],
        LevelSequence = [Level.Debug, Level.Warning],
        UniqueTags = ["x", "y\u0001"],
        Tiny = (Half)0.1,
        Huge = Int128.MinValue,
        HugeUnsigned = UInt128.MaxValue,
    };
}
