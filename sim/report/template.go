package report

// pageTemplate is report.html: everything inline, nothing fetched.
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Settle: {{.ScenarioNames}} compared with {{.Baseline}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1b1b; margin: 0; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.7rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.3rem; margin-top: 2.4rem; border-bottom: 2px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.08rem; margin-top: 1.6rem; }
p.meta { color: #555; margin-top: 0; }
ul.summary li { margin: 0.45rem 0; font-size: 1.06rem; }
.note { color: #555; font-size: 0.92rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.92rem; display: block; max-width: 100%; overflow-x: auto; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; font-weight: 600; }
td.name, th.name { text-align: left; white-space: normal; }
/* Ten columns: headers wrap and cells are closer, so that the difference columns fit (they scrolled out of a 1280-wide window). */
table.wide { font-size: 0.85rem; }
table.wide th, table.wide td { padding: 0.25rem 0.3rem; }
table.wide th { white-space: normal; }
tr.gain td.diff { color: #2166ac; font-weight: 600; }
tr.loss td.diff { color: #b2182b; font-weight: 600; }
tr.unclear td.diff, td.unclear, th.unclear { color: #777; }
/* The breakdown of the residents' difference: a rule before each unit's columns, its name centred over them. */
table.components .unit { border-left: 1px solid #ccc; }
table.components tr:first-child th.unit { text-align: center; }
.ci { font-size: 0.78em; font-weight: normal; }
figure { margin: 1.2rem 0 1.8rem; }
figure svg { width: 100%; height: auto; max-width: 960px; display: block; border: 1px solid #eee; overflow: visible; }
figure.map svg { max-width: 720px; }
figcaption { color: #555; font-size: 0.9rem; margin-top: 0.3rem; }
details { margin: 0.4rem 0; }
pre { background: #f7f7f7; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; }
nav a { margin-right: 0.9rem; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<main>
<h1>{{.ScenarioNames}} compared with {{.Baseline}}</h1>
<p class="meta">World {{.P.World.Name}}, {{.FirstYear}}–{{.LastYear}}, scale {{.P.Scale}},
{{.P.Replicates}} replicate{{if gt .P.Replicates 1}}s{{end}} per scenario (seeds {{.Seeds}}, the same in every scenario).
Made by Settle on {{.Created}}: {{.P.Runs}} runs in {{.Duration}}, then the tables, charts and this report.</p>
{{with .KeyYearNote}}<p class="note">{{.}}</p>
{{end}}<nav><a href="#summary">Summary</a><a href="#figures">Key figures</a><a href="#charts">Charts</a><a href="#moves">Who moved</a><a href="#attractiveness">Attractiveness</a><a href="#metrics">All metrics</a><a href="#runs">Runs</a><a href="#method">Method</a></nav>

{{range .Scenarios}}<p><b>{{.Name}}</b>{{if .Description}}: {{.Description}}{{end}}</p>
{{end}}
<details class="assumptions" open><summary>What each file assumes: interventions, parameters, behaviour</summary>
{{range .Assumptions}}<p><b>{{.Name}}</b> ({{.Role}}, <code>{{.File}}</code>, sha256 {{.SHA}}):
{{if .Interventions}}{{len .Interventions}} intervention{{if gt (len .Interventions) 1}}s{{end}}{{else}}no interventions{{end}};
{{if .Overrides}}behaviour: {{range $i, $o := .Overrides}}{{if $i}}, {{end}}<code>{{$o}}</code>{{end}}{{else}}the default behaviour{{end}}.</p>
{{if .Interventions}}<ol>
{{range .Interventions}}<li>{{.Label}}, {{.Years}}; targets: {{.Targets}}{{if .Params}}; {{range $i, $p := .Params}}{{if $i}}, {{end}}<code>{{$p}}</code>{{end}}{{end}}</li>
{{end}}</ol>{{end}}
<details><summary>The file</summary><pre>{{.Text}}</pre></details>
{{end}}<p class="note">Every run used the world, years, scale and seeds of the line at the top, whatever a file's own <code>years</code>, <code>scale</code> and <code>seed</code> say (the command line may set them).</p>
</details>
<h2 id="summary">Summary</h2>
<ul class="summary">
{{range .Sentences}}<li>{{.Text}}</li>
{{end}}</ul>
<p class="note">Each scenario ran {{.P.Replicates}} time{{if gt .P.Replicates 1}}s{{end}} with the same seeds as the baseline, and each person's random draws are their own, so each difference compares runs that differ only by the scenario and stay paired for years; the pairing wears off slowly as the scenario sends persons down other paths (docs/compare.md).
The 90 % interval shows how precisely these runs pin down the model's expected difference; it narrows with more replicates and
does not include uncertainty about the model itself. Figures are real-population counts (the simulation at scale {{.P.Scale}} scaled back).</p>
{{if lt .P.Scale 0.2}}<p class="note">Note: at scale {{.P.Scale}} the baseline itself centralises more than at full scale, and the least central regions shrink faster
(docs/model.md, "Known limitations": the first years are out of equilibrium, and a small sample moves its few young adults to the centres sooner).
The differences a scenario makes are compared with that baseline; check a finding at a larger scale before reporting the baseline's levels.</p>
{{end}}
{{range .P.Warnings}}<p class="note">Warning: {{.}}.</p>
{{end}}{{range .P.Notes}}<p class="note">Note: {{.}}.</p>
{{end}}

<h2 id="figures">Key figures, {{.KeyYear}}</h2>
<p class="note">Each figure is rounded on its own, so a difference can be one off the difference of the two rounded means beside it: it is the mean of the paired runs' differences (<code>deltas.csv</code> gives them with one decimal).</p>
{{range $s := .Scenarios}}
<h3>{{$s.Name}}: residents in {{$.KeyYear}}</h3>
<table>
<tr><th class="name">region</th><th>baseline</th><th>{{$s.Name}}</th><th>difference</th><th>90 % interval</th><th>change</th>{{if gt $.P.Replicates 1}}<th class="name">judged</th>{{end}}</tr>
{{range $.KeyRows $s.Index}}<tr class="{{.Class}}"><td class="name">{{.Name}}</td><td>{{.Baseline}}</td><td>{{.Scenario}}</td><td class="diff">{{.Difference}}</td><td>{{.Interval}}</td><td>{{.Pct}}</td>{{if gt $.P.Replicates 1}}<td class="name">{{.Verdict}}</td>{{end}}</tr>
{{end}}</table>
{{range $.KeyNotes $s.Index}}<p class="note">{{.}}</p>
{{end}}{{with $.ComponentTables $s.Index}}<h3>{{$s.Name}}: where the difference in residents comes from, {{$.ComponentYears}}</h3>
{{range .}}<table class="wide components">
<tr><th class="name" rowspan="2">{{$s.Name}} minus baseline</th>{{range .Units}}<th class="unit" colspan="{{if gt $.P.Replicates 1}}3{{else}}1{{end}}">{{.}}</th>{{end}}</tr>
<tr>{{range .Units}}<th class="unit">difference</th>{{if gt $.P.Replicates 1}}<th>90 % interval</th><th class="name">judged</th>{{end}}{{end}}</tr>
{{range .Rows}}<tr><td class="name">{{.Name}}</td>{{range .Cells}}<td class="unit diff {{.Class}}">{{.Difference}}</td>{{if gt $.P.Replicates 1}}<td class="{{.Class}}">{{.Interval}}</td><td class="name {{.Class}}">{{.Verdict}}</td>{{end}}{{end}}</tr>
{{end}}<tr><th class="name">{{.Total.Name}}</th>{{range .Total.Cells}}<th class="unit {{.Class}}">{{.Difference}}</th>{{if gt $.P.Replicates 1}}<th class="{{.Class}}">{{.Interval}}</th><th class="name {{.Class}}">{{.Verdict}}</th>{{end}}{{end}}</tr>
</table>
{{end}}{{range $.ComponentSentences $s.Index}}<p>{{.}}</p>
{{end}}<p class="note">The scenario minus the baseline: births, deaths and moves from 1 January {{$.FirstYear}} to 1 January {{$.KeyYear}} (the rows of {{$.ComponentYears}} in <code>deltas.csv</code>), summed in each run{{if gt $.P.Replicates 1}}, each with the 90 % interval of the runs' paired sums{{end}}; residents on 1 January {{$.KeyYear}}, as in the key figures.
The runs start alike, so births − deaths + net domestic moves + net international migration make up the residents' difference (each figure is rounded on its own, so they may be a person or two off).
Net domestic moves are moves in minus moves out between regions of the world (of a group of regions, only those across its border); net international migration is immigrants minus emigrants.{{if gt $.P.Replicates 1}} Grey: could be chance.{{end}}</p>
{{end}}<h3>{{$s.Name}}: the largest differences of any region</h3>
{{with $.LargestNote $s.Index}}<p class="note">{{.}}</p>{{end}}
<table>
<tr><th class="name">region</th><th>baseline</th><th>{{$s.Name}}</th><th>difference</th><th>90 % interval</th><th>change</th>{{if gt $.P.Replicates 1}}<th class="name">judged</th>{{end}}</tr>
{{range $.LargestRows $s.Index}}<tr class="{{.Class}}"><td class="name">{{.Name}}</td><td>{{.Baseline}}</td><td>{{.Scenario}}</td><td class="diff">{{.Difference}}</td><td>{{.Interval}}</td><td>{{.Pct}}</td>{{if gt $.P.Replicates 1}}<td class="name">{{.Verdict}}</td>{{end}}</tr>
{{end}}</table>
{{end}}

<h2 id="charts">Charts</h2>
<p class="note">Every chart is also in the folder <code>charts/</code> as PNG (for slides) and SVG (for the web).</p>
{{range .Scenarios}}
<figure class="chart" data-chart="{{.Difference.Name}}">{{svg .Difference.Inline}}<figcaption>{{.Difference.Title}}: the mean difference and its 90 % interval. <code>charts/{{.Difference.Name}}.png</code></figcaption></figure>
{{range .Maps}}<figure class="chart map" data-chart="{{.Name}}">{{svg .Inline}}<figcaption>{{.Caption}} <code>charts/{{.Name}}.png</code></figcaption></figure>
{{end}}{{end}}
{{range .Focus}}
<h3>{{.Name}}</h3>
{{with .Drawn}}<p class="note">{{.}}</p>{{end}}
<figure class="chart" data-chart="{{.Trajectory.Name}}">{{svg .Trajectory.Inline}}<figcaption>{{.Trajectory.Title}}. <code>charts/{{.Trajectory.Name}}.png</code></figcaption></figure>
<figure class="chart" data-chart="{{.Pyramid.Name}}">{{svg .Pyramid.Inline}}<figcaption>{{.Pyramid.Title}}: the first year shaded, the last year as lines. <code>charts/{{.Pyramid.Name}}.png</code></figcaption></figure>
{{if .Migration.Name}}<figure class="chart" data-chart="{{.Migration.Name}}">{{svg .Migration.Inline}}<figcaption>{{.Migration.Title}}. <code>charts/{{.Migration.Name}}.png</code></figcaption></figure>{{end}}
{{if .MigrationDifference.Name}}<figure class="chart" data-chart="{{.MigrationDifference.Name}}">{{svg .MigrationDifference.Inline}}<figcaption>{{.MigrationDifference.Title}}: each scenario minus the baseline{{if gt $.P.Replicates 1}}; an age group whose whisker crosses zero has no difference that can be told from chance. Each whisker is the bar's own interval: with many bars one now and then clears zero by chance, so the table "Who moved" below tests them together{{end}}. <code>charts/{{.MigrationDifference.Name}}.png</code></figcaption></figure>{{end}}
{{end}}

<h2 id="moves">Who moved: the change in net moves by age and motive</h2>
<p class="note">Net moves into each region (moves in minus moves out, between regions of the world) summed over {{.FirstFlowYear}}–{{.LastYear}}:
the scenario minus the baseline, by age group at the move and the motive recorded with the move. Blue: more net moves in; red: fewer.
{{if gt .P.Replicates 1}}The total (all ages, all motives) is judged by its own 90 % interval; a cell of the breakdown only when it stays clear with all of them tested together (Benjamini–Hochberg, false discovery rate 10 %; tested one by one, about one cell in ten would look clear by chance). Coloured: a cell that stays clear; black: a total that does; grey: cannot be told from chance with {{.P.Replicates}} replicates. Under each number, its 90 % interval (each cell's own, unadjusted).
{{else}}With one run per scenario there are no intervals: some of these differences are chance.
{{end}}The whole table, totals included, with the intervals, is in <code>flows_by_age_motive.csv</code> (the totals as age group or motive <code>all</code>). The whole country has no table: moves between its own regions cancel out.</p>
{{range $s := .Scenarios}}{{range $.FlowTables $s.Index}}
<h3>{{$s.Name}}: {{.Unit}}</h3>
<table>
<tr><th class="name">age</th>{{range .Motives}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td class="name">{{.Age}}</td>{{range .Cells}}<td style="{{.Style}}">{{.Text}}{{with .Interval}}<br><span class="ci">{{.}}</span>{{end}}</td>{{end}}</tr>
{{end}}<tr><th class="name">{{.Total.Age}}</th>{{range .Total.Cells}}<th style="{{.Style}}">{{.Text}}{{with .Interval}}<br><span class="ci">{{.}}</span>{{end}}</th>{{end}}</tr>
</table>
{{end}}{{end}}

<h2 id="attractiveness">Attractiveness: net migration beyond what job growth explains</h2>
<p class="note">Telemarksforsking's attractiveness model (Vareide and Nygaard 2014): every year, across all regions, net domestic migration
(per cent of the population) is regressed on job growth (per cent, relative to the nation), weighted by population. The fitted part is what
job growth explains; the rest is the region's attractiveness as a place to live. Sums over {{.FirstFlowYear}}–{{.LastYear}}, mean of the runs; the whole
table, every region, is in <code>attractiveness.csv</code>, and every year's value in <code>deltas.csv</code>.</p>
{{range $s := .Scenarios}}
<h3>{{$s.Name}}</h3>
<p class="note">{{$.ModelText 0}} {{$.ModelText $s.Index}} {{$.WeakModel $s.Index}}</p>
<table class="wide">
<tr><th class="name" rowspan="2">region</th><th colspan="3">baseline</th><th colspan="3">{{$s.Name}}</th><th colspan="3">difference</th></tr>
<tr><th>net domestic</th><th>explained by jobs</th><th>attractiveness</th><th>net domestic</th><th>explained by jobs</th><th>attractiveness</th><th>net domestic</th><th>attractiveness</th><th>attractiveness: 90 % interval</th></tr>
{{range $.AttractRows $s.Index}}<tr><td class="name">{{.Name}}</td><td>{{.BaseNet}}</td><td>{{.BaseExplained}}</td><td>{{.BaseAttract}}</td><td>{{.ScenNet}}</td><td>{{.ScenExplained}}</td><td>{{.ScenAttract}}</td><td>{{.DiffNet}}</td><td class="{{.DiffClass}}">{{.DiffAttract}}</td><td class="{{.DiffClass}}">{{.Interval}}</td></tr>
{{end}}</table>
{{end}}

<h2 id="metrics">All metrics in {{.KeyYear}}</h2>
<p class="note">Stocks on 1 January {{.KeyYear}}; net migration, explained and attractiveness, births, deaths, the moves and international migration are the flows of the year before. Every region, class and county is in <code>key_year.csv</code> for {{.KeyYear}}, and for every year in <code>deltas.csv</code>.
A change shown as "(few)" is of a baseline under 20 simulated persons ({{.SmallBase}} at this scale), whose percentage would be mostly chance.</p>
{{range $s := .Scenarios}}{{range $i, $u := $.FocusUnits $s.Index}}
<details{{if eq $i 0}} open{{end}}><summary><b>{{$s.Name}}: {{(index $.P.Units $u).Name}}</b></summary>
<table>
<tr><th class="name">metric</th><th class="name">column</th><th>baseline</th><th>{{$s.Name}}</th><th>difference</th><th>90 % interval</th><th>change</th>{{if gt $.P.Replicates 1}}<th class="name">judged</th>{{end}}</tr>
{{range $.MetricRows $s.Index $u}}<tr class="{{.Class}}"><td class="name">{{.Name}}</td><td class="name"><code>{{.Level}}</code></td><td>{{.Baseline}}</td><td>{{.Scenario}}</td><td class="diff">{{.Difference}}</td><td>{{.Interval}}</td><td>{{.Pct}}</td>{{if gt $.P.Replicates 1}}<td class="name">{{.Verdict}}</td>{{end}}</tr>
{{end}}</table>
</details>
{{end}}{{end}}

<h2 id="runs">Runs</h2>
<p class="note">Every run can be reproduced bit for bit with the command shown (the same engine version, scenario file and seed).</p>
<table>
<tr><th class="name">scenario</th><th>replicate</th><th>seed</th><th>workers</th><th>seconds</th><th class="name">scenario sha256</th><th class="name">reproduce with</th></tr>
{{range .Runs}}<tr><td class="name">{{.Scenario}}</td><td>{{.Replicate}}</td><td>{{.Seed}}</td><td>{{.Workers}}</td><td>{{.Seconds}}</td><td class="name"><code>{{.SHA}}…</code></td><td class="name"><code>{{.Command}}</code></td></tr>
{{end}}</table>
{{range .Runs}}<details><summary>manifest of {{.Scenario}}, replicate {{.Replicate}}{{if .Dir}} ({{.Dir}}){{end}}</summary><pre>{{.JSON}}</pre></details>
{{end}}
<details><summary>compare.json (without the runs)</summary><pre>{{.CompareJSON}}</pre></details>

<h2 id="method">Method</h2>
<p class="note">Common random numbers: replicate k of every scenario runs with seed {{.P.Seed}} + (k − 1): replicate 1 with seed {{.P.Seed}}, replicate 2 with the next, so random draws line up across scenarios
and the paired differences are far less noisy than differences of independent runs. Interval: {{.Interval}}. Groups of regions (centrality classes,
counties, the target regions of an intervention) are sums of their regions, but for their moves in and out, which count only the moves across their border; the price level is their mean weighted by dwellings.
The files of this comparison: <code>deltas.csv</code>, <code>key_year.csv</code> (its rows of {{.KeyYear}}), <code>attractiveness.csv</code>, <code>attractiveness_model.csv</code>,
<code>flows_by_age_motive.csv</code>, <code>pyramids.csv</code>, <code>compare.json</code> and <code>charts/</code>; see docs/compare.md.</p>
</main>
</body>
</html>
`
