using ScottPlot;

namespace HighPerfBatch.Comparison.Reporting;

/// <summary>comparison.png: events/min (left) and CPU ns/event (right) per contestant, one bar per load.</summary>
internal static class Chart
{
    private static readonly Color PacedColor = Color.FromHex("#8DA0CB");
    private static readonly Color SaturationColor = Color.FromHex("#FC8D62");

    public static void Save(ComparisonReport report, string path)
    {
        var names = report.Runs.Select(r => r.Contestant).Distinct().ToArray();
        var loads = report.Runs.Select(r => r.Load).Distinct().ToArray();
        var multiplot = new Multiplot();
        multiplot.Reset(Panel(report, names, loads, "Events delivered per minute (millions)", r => r.EventsPerMinute / 1e6, v => v.ToString(v < 10 ? "0.00" : "0.0", System.Globalization.CultureInfo.InvariantCulture)));
        multiplot.AddPlot(Panel(report, names, loads, "Client CPU per event (ns, log scale)", r => Math.Log10(Math.Max(1, r.CpuNsPerEvent)), v => Math.Pow(10, v).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), logScale: true));
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 1600, 600);
    }

    private static Plot Panel(ComparisonReport report, string[] names, Load[] loads, string title, Func<RunResult, double> value, Func<double, string> label, bool logScale = false)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        double width = 0.8 / loads.Length;
        for (int i = 0; i < names.Length; i++)
        {
            for (int j = 0; j < loads.Length; j++)
            {
                var run = report.Runs.FirstOrDefault(r => r.Contestant == names[i] && r.Load == loads[j] && r.Error is null);
                if (run is null)
                {
                    continue;
                }

                double v = value(run);
                bars.Add(new Bar
                {
                    Position = i + (j - (loads.Length - 1) / 2.0) * width,
                    Value = v,
                    Size = width * 0.95,
                    FillColor = loads[j] == Load.Paced ? PacedColor : SaturationColor,
                    Label = label(v),
                });
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, names.Length).Select(i => (double)i).ToArray(), names);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        if (logScale)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (int p = 0; p <= 6; p++)
            {
                ticks.AddMajor(p, Math.Pow(10, p).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }

            plot.Axes.Left.TickGenerator = ticks;
        }

        plot.Title(title);
        foreach (var load in loads)
        {
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = load == Load.Paced ? $"paced {report.Settings.Rate:N0}/s" : "saturation",
                FillColor = load == Load.Paced ? PacedColor : SaturationColor,
            });
        }

        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        return plot;
    }
}
