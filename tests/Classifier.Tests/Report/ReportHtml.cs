using System.Text.Json;
using System.Xml;

namespace Classifier.Tests.Report;

/// <summary>Reads report.html back as XML (it is written as well-formed XHTML) and pulls out what tests compare.</summary>
public static class ReportHtml
{
    public const string Xhtml = "http://www.w3.org/1999/xhtml";
    public const string Svg = "http://www.w3.org/2000/svg";

    /// <summary>Parses the page, failing the test with the parser's message and position when it is not well-formed.</summary>
    public static XmlDocument Parse(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        var doc = new XmlDocument { XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(path, settings);
            doc.Load(reader);
        }
        catch (XmlException e)
        {
            throw new Xunit.Sdk.XunitException($"{path} is not well-formed XHTML: {e.Message}");
        }
        Assert.Equal("html", doc.DocumentElement!.LocalName);
        Assert.Equal(Xhtml, doc.DocumentElement.NamespaceURI);
        return doc;
    }

    public static XmlNamespaceManager Namespaces(XmlDocument doc)
    {
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("h", Xhtml);
        ns.AddNamespace("s", Svg);
        return ns;
    }

    /// <summary>The heat map's counts, from each cell's data-row, data-col and data-count.</summary>
    public static int[][] Confusion(XmlDocument doc)
    {
        var cells = doc.SelectNodes("//s:rect[@class='cell']", Namespaces(doc))!.Cast<XmlElement>()
            .Select(e => (Row: int.Parse(e.GetAttribute("data-row")), Col: int.Parse(e.GetAttribute("data-col")), Count: int.Parse(e.GetAttribute("data-count"))))
            .ToList();
        Assert.NotEmpty(cells);
        var k = cells.Max(c => c.Row) + 1;
        Assert.Equal(k * k, cells.Count);
        var matrix = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        foreach (var c in cells) matrix[c.Row][c.Col] = c.Count;
        return matrix;
    }

    public static int[][] Confusion(JsonElement metrics) =>
        metrics.GetProperty("confusion").GetProperty("matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();

    public static string[] SectionIds(XmlDocument doc) =>
        doc.SelectNodes("//h:section", Namespaces(doc))!.Cast<XmlElement>().Select(e => e.GetAttribute("id")).ToArray();

    public static string SectionText(XmlDocument doc, string id) =>
        doc.SelectSingleNode($"//h:section[@id='{id}']", Namespaces(doc))?.InnerText ?? throw new Xunit.Sdk.XunitException($"no section '{id}'");

    /// <summary>A self-contained page fetches nothing: no external scripts, styles, fonts, images or frames.</summary>
    public static void AssertSelfContained(string html)
    {
        foreach (var bad in new[] { "<link", "src=", "@import", "url(", "http://", "https://" })
        {
            var text = html.Replace("http://www.w3.org/1999/xhtml", "").Replace("http://www.w3.org/2000/svg", "");
            Assert.False(text.Contains(bad, StringComparison.OrdinalIgnoreCase), $"report.html contains '{bad}'");
        }
    }
}
