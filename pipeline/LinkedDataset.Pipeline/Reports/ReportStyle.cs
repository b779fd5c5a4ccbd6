namespace LinkedDataset.Pipeline.Reports;

/// <summary>The one stylesheet every report embeds (self-contained: no fonts or files fetched).</summary>
public static class ReportStyle
{
    /// <summary>CSS for the report page, tables, cell tones, charts and the provenance block.</summary>
    public const string Css = """
        body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1.5em;color:#222;line-height:1.45}
        h1{font-size:1.7em;margin-bottom:.3em}h2{font-size:1.3em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{font-size:1.08em;margin-top:1.4em}
        p.note{background:#fff6d9;border-left:4px solid #e6a700;padding:.5em .8em}
        .table-wrap{overflow-x:auto;margin:.6em 0 1.4em}
        table{border-collapse:collapse;font-size:13px}caption{text-align:left;font-weight:600;padding:.3em 0}
        th,td{border:1px solid #d0d0d0;padding:3px 8px;text-align:left;vertical-align:top}
        thead th{background:#f2f2f2;position:sticky;top:0;white-space:nowrap}
        th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.tone-good{background:#d9f2d9}td.tone-warning{background:#ffe08a}td.tone-missing{background:#f4a6a6}td.tone-bad{background:#e07a7a}
        p.empty{color:#666;font-style:italic}
        figure{margin:1em 0 1.6em}figure svg{max-width:100%;height:auto;display:block}figcaption{font-size:13px;color:#555;margin-top:.3em}
        footer.provenance{margin-top:3em;border-top:2px solid #ccc;font-size:12px;color:#444}
        footer.provenance dl{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1.2em}footer.provenance dt{font-weight:600}
        footer.provenance dd{margin:0;overflow-wrap:anywhere}
        nav.index li{margin:.3em 0}
        """;
}
