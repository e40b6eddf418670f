// Drawing helpers of the Settle web app: SVG elements, colour scales that
// read for colour-blind viewers, the legend and the charts. Plain SVG, no
// library.

const SVG = 'http://www.w3.org/2000/svg';

// el creates an SVG element with attributes and appends it to parent.
export function el(parent, tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

export function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

// Palettes, sampled at ten stops. Viridis and cividis (Nuñez, Anderton and
// Renslow 2018) are perceptually uniform and readable with the common
// colour-vision deficiencies; the diverging one joins ColorBrewer's Blues and
// Oranges (Brewer 2003), the pair that protanopes and deuteranopes tell apart.
export const palettes = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  cividis: ['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8779', '#a69d75', '#c4b56c', '#e4cf5b', '#fee838'],
  // negative (orange) … 0 (near white) … positive (blue)
  diverging: ['#7f2704', '#c44103', '#f0772b', '#fdb97d', '#fbe6d3', '#dde9f5', '#9dc7e3', '#4f9bcb', '#1c64a8', '#08306b'],
};

function hex(c) { return [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16)); }

// colour returns the palette's colour at t in [0, 1].
export function colour(name, t) {
  const p = palettes[name];
  if (!Number.isFinite(t)) return '#d9d9d9';
  t = Math.min(1, Math.max(0, t)) * (p.length - 1);
  const i = Math.min(p.length - 2, Math.floor(t)), f = t - i;
  const a = hex(p[i]), b = hex(p[i + 1]);
  return 'rgb(' + a.map((x, k) => Math.round(x + f * (b[k] - x))).join(',') + ')';
}

// niceStep returns a round step (1, 2, 2.5, 5 × 10^k) near span/n.
export function niceStep(span, n) {
  if (!(span > 0)) return 1;
  const raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

export function ticks(lo, hi, n = 4) {
  const s = niceStep(hi - lo, n), out = [];
  for (let v = Math.ceil(lo / s) * s; v <= hi + s * 1e-9; v += s) out.push(Math.abs(v) < s * 1e-9 ? 0 : v);
  return out;
}

const nf = new Intl.NumberFormat('en-GB');
export function fmt(v, digits = 0) {
  if (!Number.isFinite(v)) return '–';
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
}
export function fmtInt(v) { return nf.format(Math.round(v)); }
export function signed(v, digits = 1) {
  const s = fmt(Math.abs(v), digits);
  return (v > 0 && s !== fmt(0, digits) ? '+' : v < 0 && s !== fmt(0, digits) ? '−' : '') + s;
}

// Scale maps values to colours: a palette over a domain [lo, hi] (for a
// diverging palette lo = −hi, so that white is zero).
export class Scale {
  constructor(palette, lo, hi, label, digits) {
    Object.assign(this, { palette, lo, hi, label, digits });
  }
  colour(v) { return colour(this.palette, (v - this.lo) / (this.hi - this.lo || 1)); }
}

// legend draws the scale into the div: its title as text (it wraps on a
// narrow screen), then a gradient bar with ticks, drawn in screen pixels
// (one viewBox unit a pixel, at most 560 wide) so that its numbers are the
// size app.css gives them at any width.
export function legend(div, scale) {
  div.textContent = '';
  const title = document.createElement('p');
  title.className = 'legend-title';
  title.textContent = scale.label;
  div.appendChild(title);
  const fs = parseFloat(getComputedStyle(document.documentElement).fontSize) > 15 ? 15 : 13; // the numbers' size (app.css)
  const w = Math.max(160, Math.min(560, div.clientWidth || 560)), h = 17 + fs, x0 = 20, x1 = w - 20;
  const svg = el(div, 'svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img', 'aria-label': `Legend: ${scale.label}, from ${fmt(scale.lo, scale.digits)} to ${fmt(scale.hi, scale.digits)}` });
  const id = 'grad-' + scale.palette;
  const g = el(el(svg, 'defs'), 'linearGradient', { id });
  palettes[scale.palette].forEach((c, i, p) => el(g, 'stop', { offset: `${(100 * i) / (p.length - 1)}%`, 'stop-color': c }));
  el(svg, 'rect', { x: x0, y: 2, width: x1 - x0, height: 10, fill: `url(#${id})`, stroke: '#555', 'stroke-width': 0.5 });
  // Fewer ticks where they would not fit (a phone).
  const n = w < 420 ? 4 : 6;
  for (const v of ticks(scale.lo, scale.hi, n)) {
    const x = x0 + ((v - scale.lo) / (scale.hi - scale.lo || 1)) * (x1 - x0);
    el(svg, 'line', { x1: x, x2: x, y1: 12, y2: 16, stroke: '#333' });
    el(svg, 'text', { x, y: h - 3, 'text-anchor': 'middle' }, scale.palette === 'diverging' ? signed(v, scale.digits) : fmt(v, scale.digits));
  }
}

// Chart geometry: a viewBox of W × H with margins.
const W = 320, H = 150, M = { l: 46, r: 14, t: 8, b: 22 };

function frame(svg, h = H) {
  clear(svg);
  svg.setAttribute('viewBox', `0 0 ${W} ${h}`);
  // Viewbox units per screen pixel, for the text's size in app.css (12 px
  // on screen whatever the chart's width); 1 while it is not laid out.
  const shown = svg.getBoundingClientRect().width;
  svg.style.setProperty('--u', shown > 0 ? (W / shown).toFixed(4) : 1);
  return { x0: M.l, x1: W - M.r, y0: h - M.b, y1: M.t };
}

// textWidth is the width of s in svg's units as a chart's label is drawn
// (app.css sets its size in screen pixels); an estimate while the chart
// is not laid out.
function textWidth(svg, s) {
  const t = el(svg, 'text', { x: 0, y: -100 }, s);
  const w = t.getComputedTextLength();
  const fs = parseFloat(getComputedStyle(t).fontSize) || 12;
  t.remove();
  return w > 0 ? w : 0.62 * fs * s.length;
}

// axisLabel writes large numbers in thousands (217,500 as 217.5k) so that
// they fit the margin.
function axisLabel(v, step, digits) {
  // In thousands, with a decimal when the step is not whole thousands
  // (ticks at 32,500 and 37,500 read 33k and 38k before).
  if (Math.abs(v) >= 10000) {
    let d = 0; // the decimals the step needs in thousands (12,050: 12.05k)
    while (d < 3 && Math.abs(step / 1000 * 10 ** d - Math.round(step / 1000 * 10 ** d)) > 1e-9) d++;
    return fmt(v / 1000, d) + 'k';
  }
  return fmt(v, step < 1 ? Math.max(digits, 1) : digits);
}

// yLabels are the y axis's ticks and their labels.
function yLabels(lo, hi, digits = 0) {
  const ts = ticks(lo, hi, 4), step = ts.length > 1 ? ts[1] - ts[0] : 1;
  return ts.map(v => [v, axisLabel(v, step, digits)]);
}

function axisY(svg, g, labels, y) {
  for (const [v, text] of labels) {
    const yy = y(v);
    el(svg, 'line', { class: 'grid', x1: g.x0, x2: g.x1, y1: yy, y2: yy });
    el(svg, 'text', { x: g.x0 - 4, y: yy + 4, 'text-anchor': 'end' }, text);
  }
}

// lineChart draws series [{values, cls, label}] over the years xs, with a
// marker at the year now.
export function lineChart(svg, xs, series, now, opts = {}) {
  const g = frame(svg);
  const all = series.flatMap(s => s.values.filter(Number.isFinite));
  if (!all.length || xs.length < 1) return;
  let lo = Math.min(...all), hi = Math.max(...all);
  if (opts.zero) lo = Math.min(0, lo);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.02 || 1;
  lo -= pad; hi += pad;
  // A least span keeps a small change small: a share moving from 89 to
  // 92 % is drawn on 80–100 %, not as a steep climb across the chart.
  if (opts.minSpan && hi - lo < opts.minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - opts.minSpan / 2;
    hi = mid + opts.minSpan / 2;
    if (opts.max !== undefined && hi > opts.max) { lo -= hi - opts.max; hi = opts.max; }
    if (opts.min !== undefined && lo < opts.min) { hi += opts.min - lo; lo = opts.min; }
  }
  const xa = xs[0], xb = Math.max(xs[xs.length - 1], opts.lastYear ?? xa + 1);
  // The labels fit the chart: the plot starts after the widest number of
  // the y axis, and ends short of the right edge by half the last year's
  // label, which is centred on its tick (2034 was cut at the edge).
  const yl = yLabels(lo, hi, opts.digits ?? 0);
  g.x0 = Math.max(g.x0, 6 + Math.max(...yl.map(([, s]) => textWidth(svg, s))));
  const xt = ticks(xa, xb, 5).filter(v => Number.isInteger(v));
  if (xt.length) {
    const f = (xt[xt.length - 1] - xa) / (xb - xa || 1), half = textWidth(svg, String(xt[xt.length - 1])) / 2 + 1;
    if (f > 0) g.x1 = Math.min(g.x1, g.x0 + (W - half - g.x0) / f);
  }
  const x = v => g.x0 + ((v - xa) / (xb - xa || 1)) * (g.x1 - g.x0);
  const y = v => g.y0 - ((v - lo) / (hi - lo)) * (g.y0 - g.y1);
  axisY(svg, g, yl, y);
  for (const v of xt) {
    el(svg, 'text', { x: x(v), y: g.y0 + 15, 'text-anchor': 'middle' }, String(v));
  }
  el(svg, 'line', { class: 'axis', x1: g.x0, x2: g.x1, y1: g.y0, y2: g.y0, stroke: '#888' });
  if (now !== undefined) el(svg, 'line', { class: 'now', x1: x(now), x2: x(now), y1: g.y1, y2: g.y0 });
  for (const s of series) {
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
    if (pts.length) el(svg, 'polyline', { class: s.cls, points: pts.join(' ') });
  }
  if (series.length > 1) {
    let lx = g.x0 + 6;
    for (const s of series) {
      el(svg, 'line', { class: s.cls, x1: lx, x2: lx + 16, y1: g.y1 + 6, y2: g.y1 + 6 });
      el(svg, 'text', { x: lx + 20, y: g.y1 + 10 }, s.label);
      lx += 30 + 7 * s.label.length;
    }
  }
}

// pyramid draws men (left) and women (right) by age group; labels names
// the groups bottom-up, every `every`-th is written. outline (optional) is
// a second pyramid drawn as a line (the baseline).
export function pyramid(svg, women, men, labels, every, outline) {
  // Men on the left and women on the right, as the compare report's
  // pyramids (and most population pyramids) have them.
  const n = women.length, h = n > 40 ? 190 : 170;
  const g = frame(svg, h + 16); // a line below for the longest bar
  g.y0 -= 16;
  // Room for the widest age label ("80–84" at the teaching size).
  g.x0 = Math.max(g.x0, 6 + Math.max(...labels.filter((_, i) => i % every === 0).map(s => textWidth(svg, s))));
  const mid = (g.x0 + g.x1) / 2 + 6;
  const maxV = Math.max(1, ...women, ...men, ...(outline ? outline.flat() : []));
  const bw = (g.y0 - g.y1) / n;
  const half = (g.x1 - g.x0) / 2 - 8;
  const sx = v => (v / maxV) * half;
  for (let i = 0; i < n; i++) {
    const y = g.y0 - (i + 1) * bw;
    const gap = n > 40 ? 0 : 0.6;
    el(svg, 'rect', { class: 'men', x: mid - 4 - sx(men[i]), y, width: sx(men[i]), height: Math.max(bw - gap, 0.5) });
    el(svg, 'rect', { class: 'women', x: mid + 4, y, width: sx(women[i]), height: Math.max(bw - gap, 0.5) });
    if (i % every === 0) el(svg, 'text', { x: g.x0 - 4, y: y + bw / 2 + 4, 'text-anchor': 'end' }, labels[i]);
  }
  if (outline) {
    const [ow, om] = outline;
    const pw = [], pm = [];
    for (let i = 0; i < n; i++) {
      const ya = g.y0 - (i + 1) * bw, yb = g.y0 - i * bw;
      pm.push(`${mid - 4 - sx(om[i])},${yb} ${mid - 4 - sx(om[i])},${ya}`);
      pw.push(`${mid + 4 + sx(ow[i])},${yb} ${mid + 4 + sx(ow[i])},${ya}`);
    }
    el(svg, 'polyline', { class: 'outline', points: pm.join(' ') });
    el(svg, 'polyline', { class: 'outline', points: pw.join(' ') });
  }
  el(svg, 'text', { x: mid - 8, y: g.y0 + 15, 'text-anchor': 'end' }, 'men');
  el(svg, 'text', { x: mid + 8, y: g.y0 + 15, class: 'wl' }, 'women');
  // The persons the longest bar stands for, on a line of its own under
  // the chart (at the top it touched the bars of the old).
  el(svg, 'text', { x: g.x1, y: g.y0 + 31, 'text-anchor': 'end' }, 'longest bar: ' + fmtInt(maxV) + ' people');
}

// butterfly draws, per motive, moves out (left, orange) and in (right, blue).
export function butterfly(svg, names, ins, outs) {
  const n = names.length, h = 28 + n * 20;
  const g = frame(svg, h);
  // Room for the longest name ("return home") and, beside the longest
  // bars, for their numbers (14,820 ran into "career" at 1920×1080).
  g.x0 = Math.max(...names.map(s => textWidth(svg, s))) + 12;
  g.x1 = W - 4;
  const room = Math.max(...[...ins, ...outs].map(v => textWidth(svg, fmtInt(v)))) + 5;
  const mid = (g.x0 + g.x1) / 2;
  const maxV = Math.max(1, ...ins, ...outs);
  const half = Math.max(10, (g.x1 - g.x0) / 2 - room);
  const sx = v => (v / maxV) * half;
  el(svg, 'text', { x: mid - 4, y: 10, 'text-anchor': 'end' }, '← moved out');
  el(svg, 'text', { x: mid + 4, y: 10 }, 'moved in →');
  for (let i = 0; i < n; i++) {
    const y = 16 + i * 20;
    el(svg, 'text', { x: g.x0 - 6, y: y + 12, 'text-anchor': 'end' }, names[i]);
    el(svg, 'rect', { class: 'out', x: mid - sx(outs[i]), y, width: sx(outs[i]), height: 15 });
    el(svg, 'rect', { class: 'in', x: mid, y, width: sx(ins[i]), height: 15 });
    const lo = fmtInt(outs[i]), li = fmtInt(ins[i]);
    el(svg, 'text', { x: mid - sx(outs[i]) - 3, y: y + 12, 'text-anchor': 'end' }, lo);
    el(svg, 'text', { x: mid + sx(ins[i]) + 3, y: y + 12 }, li);
  }
  el(svg, 'line', { x1: mid, x2: mid, y1: 14, y2: h - 12, stroke: '#333' });
}
