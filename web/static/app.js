// The Settle web app: the scenario form, the run stream, the map and the
// charts. The server (web/server.go) checks every scenario with the same
// code as `settle run`; this file only builds the request and shows what
// comes back.
import { el, clear, Scale, legend, lineChart, pyramid, butterfly, fmt, fmtInt, signed } from './draw.js';
import { tPValue, benjaminiHochberg } from './stats.js';

const $ = id => document.getElementById(id);

// Metrics the map colours by. value(frames, i, r) is region r's value in
// frame i; palette and the unit of the legend follow.
// step(f, i, r, scale) is the metric's smallest change: one simulated
// person, or the 0.1 the server rounds to. Two paired runs may differ by a
// few such steps by chance with no spread between them; the test of a
// difference takes its spread as at least one step (as settle compare does).
// unit and diffUnit follow a value in a tooltip (diffUnit on the
// difference map).
// short names the metric in the toolbar's list, which keeps to one line
// beside Show (teaching mode with Compare at 1280×720); the legend under
// the map gives the whole label.
const METRICS = {
  change: { label: 'Population change since the start (%)', short: 'Population change', palette: 'diverging', digits: 1, unit: '%', diffUnit: '% points',
    value: (f, i, r) => (f[0].pop[r] > 0 ? (100 * (f[i].pop[r] - f[0].pop[r])) / f[0].pop[r] : NaN),
    step: (f, i, r, scale) => 100 / scale / f[0].pop[r] },
  median: { label: 'Median age (years)', short: 'Median age', palette: 'cividis', digits: 1, unit: 'years', diffUnit: 'years', value: (f, i, r) => (f[i].pop[r] > 0 ? f[i].median[r] : NaN), step: () => 0.1 },
  higherEd: { label: 'Share of adults 25+ with higher education (%)', short: 'Higher education', palette: 'viridis', digits: 0, unit: '%', diffUnit: '% points', value: (f, i, r) => (f[i].pop[r] > 0 ? f[i].higherEd[r] : NaN), step: () => 0.1 },
  net: { label: 'Net migration in the year, per 1000 residents', short: 'Net migration', palette: 'diverging', digits: 0, unit: 'per 1000', diffUnit: 'per 1000',
    value: (f, i, r) => (i === 0 ? NaN : f[i].pop[r] > 0 ? (1000 * f[i].net[r]) / f[i].pop[r] : NaN),
    step: (f, i, r, scale) => 1000 / scale / f[i].pop[r] },
  commute: { label: 'Employed residents commuting out (%)', short: 'Commuting out', palette: 'viridis', digits: 0, unit: '%', diffUnit: '% points', value: (f, i, r) => (f[i].pop[r] > 0 ? f[i].commute[r] : NaN), step: () => 0.1 },
};
const MOTIVE_LABEL = { study: 'study', career: 'career', housing: 'housing', family: 'family', return: 'return home', amenity: 'amenities' };
// The motive in a sentence: "moved … most often to study".
const MOTIVE_WHY = { study: 'to study', career: 'for work', housing: 'for housing', family: 'for family', return: 'to return home', amenity: 'for a nicer place' };

const state = {
  config: null, maps: {}, map: null, world: null,
  loaded: null, // {file, world, name} of the scenario file loaded
  frames: { scenario: [], baseline: [] },
  reps: [], chanceReady: false, // the further paired runs of a comparison (diffStats)
  run: null, // {startYear, years, compare, replicates, name}
  shown: -1, playing: false, timer: null, abort: null,
  selected: -1, paths: [[], []],
  timing: { clicked: 0, firstFrame: 0 },
};
window.settle = state; // for the browser test and the curious
state.spec = () => spec(); // the form as the server gets it
state.diffValue = (i, r) => diffValue(i, r); // what the difference map shows (the browser test)
state.stats = { tPValue, benjaminiHochberg }; // (the browser test)
state.regionPanel = () => regionPanel(); // (the browser test: the panel before the paired runs are in)

// ---------- start ----------

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  let body = null;
  try { body = await r.json(); } catch { /* not JSON */ }
  if (!r.ok) throw Object.assign(new Error(body?.error || `${url}: ${r.status} ${r.statusText}`), { body, status: r.status });
  return body;
}

// nb keeps a number with its per cent sign (and "% points") on one line:
// "(29 %)" wrapped as "(29" and "%)" in the yearly sentence.
function nb(text) {
  return String(text).replace(/ %( points)?/g, (_, p) => '\u00a0%' + (p ? '\u00a0points' : ''));
}

// regionWord is what the regions of the world on the form are called:
// Norway's municipalities, the teaching world's regions (config).
function regionWord(plural = false) {
  const w = state.config && worldInfo(state.world || $('world').value);
  return (plural ? w?.regionPlural : w?.region) || (plural ? 'regions' : 'region');
}

function setStatus(text, bad = false) {
  const s = $('status');
  text = nb(text);
  s.textContent = text;
  s.title = text; // the whole of it, where a wide screen cuts it short
  s.classList.toggle('bad', bad);
}

// A control reached by Tab must not sit under the sticky Run bar
// (.actions) at the panel's foot: the browser scrolls only what is out of
// the panel, and the bar covered what was in it (Add an intervention at
// 1280×720 in teaching mode).
function keepFocusClearOfBar(e) {
  const panel = $('panel'), bar = panel.querySelector('.actions');
  if (!bar || bar.contains(e.target) || getComputedStyle(bar).position !== 'sticky') return;
  const r = e.target.getBoundingClientRect(), b = bar.getBoundingClientRect();
  if (r.bottom > b.top && r.top < b.bottom) panel.scrollTop += r.bottom - b.top + 8;
}

async function init() {
  $('panel').addEventListener('focusin', keepFocusClearOfBar);
  try {
    state.config = await getJSON('/api/config');
  } catch (e) {
    setStatus('The server does not answer: ' + e.message, true);
    return;
  }
  const cfg = state.config;
  for (const p of cfg.projections) {
    const o = document.createElement('option');
    o.value = p.name;
    o.textContent = p.short;
    o.title = p.title;
    $('projection').appendChild(o);
  }
  for (const w of cfg.worlds) {
    const o = document.createElement('option');
    o.value = w.name;
    o.textContent = `${w.name} (${w.regions} regions)`;
    $('world').appendChild(o);
  }
  for (const [k, m] of Object.entries(METRICS)) {
    const o = document.createElement('option');
    o.value = k;
    o.textContent = m.short;
    o.title = m.label;
    $('metric').appendChild(o);
  }
  const first = document.createElement('option');
  first.value = '';
  first.textContent = 'Add an intervention…';
  $('add-kind').appendChild(first);
  for (const k of cfg.kinds) {
    const o = document.createElement('option');
    o.value = k.kind;
    o.textContent = kindOption(k.kind) + (k.available ? '' : ' (not simulated yet)');
    o.disabled = !k.available;
    $('add-kind').appendChild(o);
  }
  if (cfg.scenarios) {
    try {
      for (const f of await getJSON('/api/scenarios')) {
        const o = document.createElement('option');
        o.value = f.file;
        o.textContent = f.file + (f.description ? ' — ' + f.description : '');
        $('file').appendChild(o);
      }
    } catch (e) { $('file-notes').textContent = e.message; }
  } else {
    $('files-box').hidden = true;
  }
  if (cfg.urls?.length) {
    // A server open to the network: where the class opens the app (an
    // address, not this machine's name, which a school network may not
    // resolve).
    const sh = $('share');
    sh.append(cfg.urls.length > 1 ? 'Other devices on this network open one of ' : 'Other devices on this network open ');
    cfg.urls.forEach((u, k) => {
      const a = document.createElement('a');
      a.href = a.textContent = u;
      sh.append(k ? ' or ' : '', a);
    });
    sh.hidden = false;
  }
  bindControls();
  await setWorld(cfg.worlds[0].name, true);
  setStatus(`Ready. Up to ${cfg.maxRuns} simulation${cfg.maxRuns > 1 ? 's' : ''} run at once on this server.`);
  offerSaved();
}

// narrow: the one-column layout of phones (app.css), where the map is
// below the form.
function narrow() { return matchMedia('(max-width: 700px)').matches; }

function kindLabel(k) { return k.replace(/_/g, ' ').replace(/^./, c => c.toUpperCase()); }

// What a kind is called in the list of interventions: its name, and for
// some what a teacher would look for ("bridge").
const KIND_HINTS = {
  region_enlargement: 'a bridge, tunnel or faster road',
  business_development: 'jobs added, or a plant closed',
  part_time_residents: 'cabins and second homes',
  youth: 'bringing the young back home',
  municipal_cooperation: 'one labour market',
};
function kindOption(k) { return kindLabel(k) + (KIND_HINTS[k] ? ` (${KIND_HINTS[k]})` : ''); }
function worldInfo(name) { return state.config.worlds.find(w => w.name === name); }

function bindControls() {
  $('scenario-form').addEventListener('submit', e => { e.preventDefault(); run(); });
  $('stop').addEventListener('click', stop);
  $('download').addEventListener('click', download);
  $('load').addEventListener('click', loadFile);
  $('world').addEventListener('change', () => setWorld($('world').value, true));
  $('scale').addEventListener('input', scaleHelp);
  $('add').addEventListener('click', () => { if ($('add-kind').value) addIntervention({ kind: $('add-kind').value }); });
  $('add-kind').addEventListener('change', () => {
    const k = state.config.kinds.find(k => k.kind === $('add-kind').value);
    $('kind-doc').textContent = k ? k.doc : '';
  });
  $('metric').addEventListener('change', () => show(state.shown));
  $('view').addEventListener('change', () => show(state.shown));
  $('year').addEventListener('input', () => { pause(); show(+$('year').value); });
  $('play').addEventListener('click', () => (state.playing ? pause() : play()));
  $('step').addEventListener('click', () => {
    pause();
    if (state.shown < available() - 1) show(state.shown + 1);
    else if (state.run && available() > 0) {
      setStatus(available() - 1 < state.run.years && state.abort
        ? 'The next year is still being simulated.'
        : `${state.run.startYear + state.shown} is the last year of this run: drag the slider back, or press Play to watch it again.`);
    }
  });
  $('find').addEventListener('change', () => {
    // As the form's region picker: folded names, name parts and codes; of
    // a name two regions share (Herøy), the first, as before.
    const typed = $('find').value.trim();
    const { one, several } = findRegion(typed);
    const r = one || several[0];
    if (r) {
      $('find').removeAttribute('aria-invalid');
      select(state.map.regions.indexOf(r));
    } else if (typed) {
      // Said, with the nearest name, as the form's region picker says it
      // (an unknown name did nothing at all).
      const near = nearestRegion(typed);
      $('find').setAttribute('aria-invalid', 'true');
      setStatus(`No region “${typed}” on this map` + (near ? `; did you mean ${near.name} (${near.code})?` : '; type a name or code of one of its regions.'), true);
    }
  });
  $('teaching').addEventListener('change', teachingMode);
  $('explain').addEventListener('scroll', () => scrollCue($('explain')));
  $('compare').addEventListener('change', () => { $('replicates-box').hidden = !$('compare').checked; });
  // A new window size: the labels, the legend (drawn in screen pixels)
  // and the charts' text sizes follow.
  let resized = 0;
  // The maps' boxes change with the legend, the sentence and the view:
  // their labels follow (sizes are in screen pixels).
  const ro = new ResizeObserver(() => placeLabels());
  for (const id of ['map1', 'map2']) ro.observe($(id));
  new ResizeObserver(() => scrollCue($('explain'))).observe($('explain'));
  window.addEventListener('resize', () => {
    cancelAnimationFrame(resized);
    resized = requestAnimationFrame(() => { if (state.shown >= 0) show(state.shown); else placeLabels(); });
  });
}

// ---------- world, map ----------

async function setWorld(name, defaults) {
  $('world').value = name;
  const info = worldInfo(name);
  if (defaults) {
    $('scale').value = info.defaultScale;
    $('years').value = info.defaultYears;
    if (!$('seed').value) $('seed').value = 1;
    if (!$('name').value) $('name').value = 'classroom';
  }
  $('scale').max = info.maxScale;
  $('years').max = state.config.limits.maxYears;
  scaleHelp();
  if (state.world !== name) {
    // A scenario is for one world: say what switching away from it drops,
    // rather than run a file's name with none of its interventions.
    const dropped = $('interventions').children.length;
    const loaded = state.loaded; // the file loaded for the old world, if any
    let note = '';
    if (defaults && state.world && (dropped || loaded || state.behaviour)) {
      const lost = [];
      if (dropped) lost.push(`${dropped} intervention${dropped > 1 ? 's' : ''}`);
      if (state.behaviour) lost.push('the behaviour settings');
      note = `Switched to the ${name} world.` +
        (loaded ? ` ${loaded.file} was made for ${loaded.world}.` : '') +
        (lost.length ? ` The scenario's ${lost.join(' and ')} for ${state.world} ${lost.length > 1 || dropped > 1 ? 'were' : 'was'} removed.` : '') +
        ' Start a new scenario here, or load one made for this world.';
      if (loaded) {
        $('file').value = '';
        if ($('name').value === loaded.name) $('name').value = name === 'teaching' ? 'classroom' : name;
      }
    }
    state.loaded = null;
    for (const card of [...$('interventions').children]) card.remove();
    $('file-notes').textContent = note;
    $('behaviour-note').textContent = '';
    state.behaviour = null;
    state.description = '';
    state.world = name;
    worldWords();
    state.frames = { scenario: [], baseline: [] };
    state.run = null;
    state.selected = -1;
    if (!state.maps[name]) {
      setStatus(`Loading the map of ${name}…`);
      state.maps[name] = await getJSON('/api/map/' + encodeURIComponent(name));
    }
    state.map = state.maps[name];
    // A small world names every region on the map, and each is a button
    // (Tab, Enter): the search box is for Norway's 357.
    $('find-box').hidden = state.map.regions.length <= 40;
    const dl = $('region-names');
    clear(dl);
    for (const r of state.map.regions) {
      const o = document.createElement('option');
      o.value = `${r.name} (${r.code})`;
      dl.appendChild(o);
    }
    drawMaps();
    resetTimeline();
    regionPanel();
    nationalCharts();
    $('attribution').textContent = state.map.note;
    // The last message (a loading note, an earlier run's result or
    // problem) no longer applies to this world.
    problems(null);
    setStatus(`${name}: ${state.map.regions.length} regions. Set up a scenario and press Run.`);
  }
}

// worldWords names the regions on the page as the world calls them:
// Norway's municipalities, the teaching world's regions.
function worldWords() {
  const one = regionWord(), many = regionWord(true);
  $('find-box').querySelector('label').textContent = one.charAt(0).toUpperCase() + one.slice(1);
  $('c-central-cap').textContent = nb(`Living in central ${many} (centrality 1–3: the cities and the places around them), in %`);
  $('c-central').setAttribute('aria-label', `Share living in central ${many} over time`);
  $('c-rpyr').setAttribute('aria-label', `Age pyramid of the ${one}`);
}

// decimal reads a number typed with a decimal point or comma ("0,3" is
// 0.3, as Norwegian keyboards write it); NaN for anything else.
function decimal(text) {
  const t = text.trim().replace(',', '.');
  return /^(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
}

function scaleHelp() {
  const info = worldInfo($('world').value);
  const x = decimal($('scale').value);
  $('scale-help').textContent = x > info.maxScale
    ? `${x} is more than this server allows for this world: at most ${info.maxScale}`
    : x > 0
      ? `≈ ${fmtInt(info.population * x)} simulated persons of ${fmtInt(info.population)}; at most ${info.maxScale} here`
      : `a share above 0, at most ${info.maxScale}`;
}

function drawMaps() {
  const m = state.map;
  state.paths = [[], []];
  const focusable = m.regions.length <= 40; // more would be a long tab trail: use the search box
  ['map1', 'map2'].forEach((id, k) => {
    const svg = $(id);
    clear(svg);
    svg.setAttribute('viewBox', `0 0 ${m.width} ${m.height}`);
    svg.setAttribute('aria-label', `Map of ${m.world}: ${m.regions.length} regions` + (focusable ? '; Tab to a region and press Enter to open its charts' : `; find a ${regionWord()} with the search box above`));
    const g = el(svg, 'g');
    m.regions.forEach((r, i) => {
      const p = el(g, 'path', { d: r.path, fill: '#d9d9d9', 'data-code': r.code, 'data-index': i });
      if (focusable) {
        p.setAttribute('tabindex', '0');
        p.setAttribute('role', 'button');
        p.setAttribute('aria-label', r.name);
      }
      p.addEventListener('click', () => select(i));
      p.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(i); } });
      p.addEventListener('mousemove', e => tooltip(e, i, k));
      p.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
      p.addEventListener('focus', () => tooltip(null, i, k));
      p.addEventListener('blur', () => { $('tooltip').hidden = true; });
      state.paths[k].push(p);
    });
    el(svg, 'g', { class: 'labels' });
  });
  placeLabels();
}

// placeLabels names the regions: every one in a small world, the largest
// towns in Norway. Sizes are in screen pixels (map units times the map's
// scale): Norway's towns 13 px (15 in teaching mode), a small world's
// regions 15 px (19 in teaching mode).
function placeLabels() {
  const m = state.map;
  if (!m) return;
  const big = m.regions.length > 40;
  const order = m.regions.map((r, i) => i).sort((a, b) => m.regions[b].population - m.regions[a].population);
  const pick = big ? order.slice(0, 14) : order;
  const teaching = document.documentElement.classList.contains('teaching');
  const px = big ? (teaching ? 15 : 13) : teaching ? 19 : 15;
  ['map1', 'map2'].forEach((id, k) => {
    const svg = $(id);
    const g = svg.querySelector('g.labels');
    clear(g);
    if (!svg.getClientRects().length) return; // hidden: placed when shown
    // The map is fitted into its box (preserveAspectRatio meet): one screen
    // pixel is the larger of the two ratios in map units.
    const scale = Math.max(m.width / Math.max(1, svg.clientWidth || 600), m.height / Math.max(1, svg.clientHeight || 400));
    const boxes = [];
    const overlaps = box => boxes.reduce((a, b) => a + Math.max(0, Math.min(box[2], b[2]) - Math.max(box[0], b[0])) * Math.max(0, Math.min(box[3], b[3]) - Math.max(box[1], b[1])), 0);
    const inside = box => box[0] >= 0 && box[1] >= 0 && box[2] <= m.width && box[3] <= m.height;
    let dropped = 0;
    for (const i of pick) {
      const r = m.regions[i];
      const path = state.paths[k][i];
      const full = r.name + (r.island ? ' (island)' : '');
      // Larger places first. A label that would overlap one already
      // placed tries other places near its region, those inside the
      // region first (the teaching world's small city cells, Storhavn,
      // Lindvik, Åsen and Vestbygd, crowd each other); in a small world,
      // where every region is named, it then shrinks to 90 and 80 %, and
      // an island drops "(island)" (its shape in the sea says it). A label
      // that overlaps others all the same is left out rather than drawn
      // over them (on a small map, teaching mode with Compare at 1280×720
      // before the map kept its height): the region keeps its tooltip and
      // its button's name. In Norway only the towns that fit are named;
      // the others have the search box.
      const tries = big ? [[full, 1]] : [[full, 1], [full, 0.9], [full, 0.8], ...(r.island ? [[r.name, 0.9], [r.name, 0.8]] : [])];
      let best = null;
      for (const [text, f] of tries) {
        const fs = px * f * scale;
        const t = el(g, 'text', { 'text-anchor': 'middle', 'font-size': fs, 'stroke-width': 3 * scale }, text);
        const w = t.getComputedTextLength() || 0.6 * fs * text.length, h = fs;
        const box = (x, y) => [x - w / 2, y - h, x + w / 2, y + 0.25 * h];
        const clampX = x => Math.min(Math.max(x, w / 2 + 2 * scale), m.width - w / 2 - 2 * scale);
        let cands = [];
        if (big) {
          // Above the town's dot, or below it.
          cands = [[r.x, r.y - 4 * scale], [r.x, r.y + h + 2 * scale]];
        } else {
          const y0 = r.y + h / 3;
          // An island smaller than its label is labelled in the sea above
          // (or below) it, so that the label covers neither it nor its
          // neighbour.
          const bb = r.island ? path.getBBox() : null;
          if (bb && bb.width < w) cands.push([r.x, bb.y - 3 * scale], [r.x, bb.y + bb.height + h + 2 * scale]);
          for (const dy of [0, -1, 1, -2, 2]) for (const dx of [0, -0.3, 0.3, -0.6, 0.6]) cands.push([r.x + dx * w, y0 + dy * 1.05 * h]);
        }
        cands = cands.map(([x, y]) => [clampX(x), y]).filter(([x, y]) => inside(box(x, y)));
        // Inside the region first: a label over a neighbour names the
        // wrong place. (Islands are labelled in the sea.)
        const inRegion = ([x, y]) => {
          const q = svg.createSVGPoint();
          q.x = x; q.y = y - h / 3;
          return path.isPointInFill(q);
        };
        // Outside it, a place in the sea, not in another region, which the
        // label would name (Elvestad's was put in Åsen's cell).
        const inOther = ([x, y]) => {
          const q = svg.createSVGPoint();
          q.x = x; q.y = y - h / 3;
          return state.paths[k].some((o, j) => j !== i && o.isPointInFill(q));
        };
        if (!big && !r.island) cands = [...cands.filter(inRegion), ...cands.filter(c => !inRegion(c))];
        const free = cands.find(c => overlaps(box(...c)) === 0 && (big || r.island || inRegion(c) || !inOther(c)));
        if (free) { best = { t, x: free[0], y: free[1], b: box(...free) }; break; }
        t.remove();
      }
      if (!best) { dropped += !big; continue; }
      best.t.setAttribute('x', best.x);
      best.t.setAttribute('y', best.y);
      // Kept a space's width apart from the next label, so that two
      // labels on one line do not read as one name ("Stavanger Bærum").
      const gap = 0.35 * px * scale;
      boxes.push([best.b[0] - gap, best.b[1], best.b[2] + gap, best.b[3]]);
      if (big) el(g, 'circle', { cx: r.x, cy: r.y, r: 2 * scale, fill: '#111' });
    }
    svg.dataset.unlabelled = dropped; // a small world's regions left without a label (the browser test)
  });
  document.body.dataset.labels = $('map1').querySelectorAll('g.labels text').length;
}

function tooltip(e, i, k) {
  const t = $('tooltip');
  const r = state.map.regions[i];
  const v = regionValue(k, i);
  const m = METRICS[$('metric').value];
  const diff = view() === 'diff';
  t.textContent = `${r.name} (${r.code})` + (Number.isFinite(v) ? `: ${diff || m.palette === 'diverging' ? signed(v, m.digits) : fmt(v, m.digits)} ${diff ? m.diffUnit : m.unit}`
    : diff && state.shown >= 0 && tooFew(i) ? ': too few simulated persons to tell'
      : diff && state.shown >= 0 && state.chanceReady ? ': cannot be told from chance' : '');
  t.hidden = false;
  const box = $('maps').getBoundingClientRect();
  let x, y;
  if (e) { x = e.clientX - box.left + 12; y = e.clientY - box.top + 12; } else {
    const b = state.paths[k][i].getBoundingClientRect();
    x = b.left - box.left + b.width / 2; y = b.top - box.top + b.height / 2;
  }
  t.style.left = Math.min(x, box.width - t.offsetWidth - 4) + 'px';
  t.style.top = Math.min(y, box.height - t.offsetHeight - 4) + 'px';
}

// ---------- what the map shows ----------

function view() {
  return state.run?.compare ? $('view').value : 'scenario';
}

// Paired runs of a comparison: the first streams in full (state.frames);
// the others (state.reps[k − 2] for replicate k) bring the map metrics, so
// that a region's difference gets a 90 % interval over the runs. T90 is
// the 95th percentile of Student's t with k − 1 degrees of freedom.
const T90 = { 2: 6.314, 3: 2.920, 4: 2.353, 5: 2.132 };
// FALSE_DISCOVERY is the rate at which the map's regions are tested
// together, as in settle compare (compare.FalseDiscovery).
const FALSE_DISCOVERY = 0.1;

// repsReady reports whether every paired run has every year.
function repsReady() {
  const r = state.run;
  if (!r?.compare || !(r.replicates > 1)) return false;
  return state.reps.length === r.replicates - 1 &&
    state.reps.every(x => x.scenario.length === r.years + 1 && x.baseline.length === r.years + 1);
}

// diffStats returns region r's difference (scenario − baseline) in a
// metric (the map's by default) at year index i over the paired runs: its
// mean, 90 % interval and the p-value of the paired t-test (the spread at
// least one step of the metric), or null before every run has arrived.
function diffStats(i, r, metric = $('metric').value) {
  if (!state.chanceReady) return null;
  const m = METRICS[metric];
  const runs = [state.frames, ...state.reps];
  const d = runs.map(x => m.value(x.scenario, i, r) - m.value(x.baseline, i, r));
  if (!d.every(Number.isFinite)) return { mean: NaN, lo: NaN, hi: NaN, p: NaN };
  const k = d.length, mean = d.reduce((a, b) => a + b, 0) / k;
  // The spread at least one step: the interval and the test then agree
  // (p < 0.1 exactly when the interval excludes zero).
  const sd = Math.max(Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1)),
    m.step(state.frames.scenario, i, r, state.run.scale));
  const se = sd / Math.sqrt(k);
  return { mean, lo: mean - T90[k] * se, hi: mean + T90[k] * se, p: tPValue(mean / se, k - 1) };
}

// targetRegions are the regions the interventions of the run target, as
// the server resolved them (its start event); none for national ones.
function targetRegions() {
  const out = new Set();
  for (const iv of state.run?.interventions || []) {
    for (const code of iv.targets) {
      const r = state.map.regions.findIndex(x => x.code === code);
      if (r >= 0) out.add(r);
    }
  }
  return out;
}

// clearRegions marks, for year index i in the map's metric, the regions
// whose difference can be told from chance: a target by its own test (p <
// 0.1, its 90 % interval excludes zero), every other region only when it
// stays clear with all of them tested together (Benjamini–Hochberg at a 10 %
// false discovery rate), as settle compare's maps do. With 113 regions
// tested one by one, about 11 would look clear in a scenario that changes
// nothing.
function clearRegions(i, metric = $('metric').value) {
  const key = `${i}|${metric}`;
  state.clearCache ??= {};
  if (state.clearCache[key]) return state.clearCache[key];
  const R = state.map.regions.length;
  const testable = [], p = [];
  const stats = [];
  for (let r = 0; r < R; r++) {
    stats[r] = tooFew(r) ? null : diffStats(i, r, metric);
    if (stats[r]) { testable.push(r); p.push(stats[r].p); }
  }
  const bh = benjaminiHochberg(p, FALSE_DISCOVERY);
  const targets = targetRegions();
  const clear = new Array(R).fill(false);
  testable.forEach((r, k) => { clear[r] = targets.has(r) ? stats[r].p < 0.1 : bh[k]; });
  state.clearCache[key] = clear;
  return clear;
}

// diffValue is what the difference map shows for r at year index i: with
// paired runs, their mean where it can be told from chance (clearRegions;
// NaN, grey, elsewhere); with one run, its difference outside regions of
// few simulated persons.
function diffValue(i, r) {
  if (tooFew(r)) return NaN;
  const st = diffStats(i, r);
  if (st) return clearRegions(i)[r] ? st.mean : NaN;
  return metricOf('scenario', i, r) - metricOf('baseline', i, r);
}

// complete returns how many years both sides have (compare) or the scenario has.
function available() {
  const s = state.frames.scenario.length;
  return state.run?.compare ? Math.min(s, state.frames.baseline.length) : s;
}

function metricOf(side, i, r) {
  const f = state.frames[side];
  return f[i] ? METRICS[$('metric').value].value(f, i, r) : NaN;
}

// MIN_SAMPLED: in a region with fewer simulated persons a difference between
// scenario and baseline is mostly chance (a few moves more or less), so the
// difference map leaves it grey. 500 persons give a relative standard error
// of one count of about 4.5 % (1/√500).
const MIN_SAMPLED = 500;

function tooFew(r) {
  const f = state.frames.scenario[0];
  return f && f.pop[r] * state.run.scale < MIN_SAMPLED;
}

// regionValue is what map k (0 the main map, 1 the second) shows for r.
function regionValue(k, r) {
  const i = state.shown;
  if (i < 0) return NaN;
  const v = view();
  if (v === 'diff') return diffValue(i, r);
  if (v === 'side') return metricOf(k === 0 ? 'baseline' : 'scenario', i, r);
  return metricOf(v, i, r);
}

// domain: over every year received, the 2nd to 98th percentile (tiny
// municipalities in a small sample are noisy; they are clamped to the ends).
function scaleFor() {
  const m = METRICS[$('metric').value];
  const v = view();
  const vals = [];
  const n = available();
  const R = state.map.regions.length;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < R; r++) {
      if (v === 'diff') vals.push(diffValue(i, r));
      else if (v === 'side') vals.push(metricOf('scenario', i, r), metricOf('baseline', i, r));
      else vals.push(metricOf(v, i, r));
    }
  }
  const fin = vals.filter(Number.isFinite).sort((a, b) => a - b);
  const q = p => (fin.length ? fin[Math.min(fin.length - 1, Math.floor(p * fin.length))] : 0);
  const diverging = v === 'diff' || m.palette === 'diverging';
  let label = m.label;
  if (v === 'diff') label = `Scenario − baseline (${state.run.name}): ` + m.label.replace(/ \(%\)$/, ' (% points)');
  if (diverging) {
    let d = Math.max(Math.abs(q(0.02)), Math.abs(q(0.98)));
    d = niceUp(d || 1);
    return new Scale('diverging', -d, d, label, d < 2 ? 1 : 0);
  }
  let lo = q(0.02), hi = q(0.98);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  return new Scale(m.palette, Math.floor(lo), Math.ceil(hi), label, 0);
}

function niceUp(x) {
  const mag = Math.pow(10, Math.floor(Math.log10(x)));
  for (const k of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (k * mag >= x) return k * mag;
  return 10 * mag;
}

// runCaption names the run a map of one side of a comparison draws: the
// scenario by its name, the baseline as that scenario without its
// interventions (of several paired runs, the legend says which: pairedNote).
function runCaption(cap, side) {
  const r = state.run;
  cap.textContent = side === 'scenario' ? `Scenario: ${r.name}` : `Baseline: ${r.name} without interventions`;
  cap.title = `${cap.textContent} (${r.world}, scale ${r.scale}, seed ${r.seed})`;
}

// pairedNote says, under a map of one side of several paired runs, that
// it draws the first of them, and what the difference map shows.
function pairedNote() {
  const r = state.run, reps = r.replicates || 1;
  if (reps < 2) return null;
  const p = document.createElement('p');
  p.className = 'note';
  p.id = 'paired-note';
  p.textContent = `${view() === 'side' ? 'Both maps draw' : 'The map draws'} the first of ${reps} paired runs (seed ${r.seed}); Difference shows their mean.`;
  return p;
}

// show displays year index i on the maps and charts.
function show(i) {
  const n = available();
  if (n === 0) return;
  i = Math.max(0, Math.min(i, n - 1));
  state.shown = i;
  const v = view();
  $('fig2').hidden = v !== 'side';
  // A map of one side of a comparison says which run it draws (the
  // difference map's legend names the scenario).
  $('cap1').hidden = !state.run.compare || v === 'diff';
  if (!$('cap1').hidden) runCaption($('cap1'), v === 'side' ? 'baseline' : v);
  if (v === 'side') runCaption($('cap2'), 'scenario');
  const sc = scaleFor();
  for (let k = 0; k < (v === 'side' ? 2 : 1); k++) {
    state.paths[k].forEach((p, r) => p.setAttribute('fill', sc.colour(regionValue(k, r))));
  }
  legend($('legend'), sc);
  // The notes under the legend's bar give way to the map (app.css): they
  // scroll where they would take more room.
  const notes = document.createElement('div');
  notes.className = 'legend-notes';
  $('legend').appendChild(notes);
  if (v === 'diff') {
    const few = state.map.regions.filter((_, r) => tooFew(r)).length;
    const p = document.createElement('p');
    p.className = 'note';
    const reps = state.run.replicates || 1;
    if (state.chanceReady) {
      const chance = state.map.regions.filter((_, r) => !tooFew(r) && Number.isNaN(diffValue(i, r))).length;
      // The method on hover (and in docs/web.md): the map keeps the room.
      p.textContent = `Mean of ${reps} paired runs. Grey: ${chance + few} ${regionWord(true)} where the difference can be chance.`;
      p.title = `Every region is tested together with the others (Benjamini–Hochberg at a 10 % false discovery rate), ` +
        `an intervention's target by its own 90 % interval, as settle compare does` + (few ? `; a region under ${MIN_SAMPLED} simulated persons is not tested.` : '.');
    } else if (reps > 1) {
      p.textContent = `The first of ${reps} paired runs; the others follow to tell chance apart. ` +
        (few ? `Grey: ${few} ${regionWord(true)} under ${MIN_SAMPLED} simulated persons.` : '');
    } else {
      p.textContent = (few ? `Grey: ${few} ${regionWord(true)} under ${MIN_SAMPLED} simulated persons (mostly chance there). ` : '') +
        'One paired run: elsewhere too a difference can be chance; 3 paired runs check.';
    }
    // What to do about a target too small in the sample comes first, so
    // that it stays in view when the notes scroll.
    const advice = targetAdvice();
    if (advice) notes.appendChild(advice);
    notes.appendChild(p);
  } else if (state.run.compare) {
    const p = pairedNote();
    if (p) notes.appendChild(p);
  }
  notes.addEventListener('scroll', () => scrollCue(notes));
  requestAnimationFrame(() => scrollCue(notes));
  const year = state.run.startYear + i;
  $('year').max = Math.max(0, n - 1);
  $('year').value = i;
  $('year').disabled = false;
  $('year').setAttribute('aria-valuetext', String(year));
  $('year-out').textContent = year;
  document.body.dataset.shownYear = year;
  nationalCharts();
  regionPanel();
  explain();
  placeLabels(); // the maps' boxes change with the view
}

function resetTimeline() {
  pause();
  state.shown = -1;
  $('year').max = 0;
  $('year').value = 0;
  $('year').disabled = true;
  $('year-out').textContent = '–';
  $('legend').textContent = '';
  $('explain').textContent = document.body.classList.contains('teaching') ? teachingIntro() : '';
  for (const ps of state.paths) for (const p of ps) p.setAttribute('fill', '#d9d9d9');
}

// ---------- playback ----------

function delay() { return document.body.classList.contains('teaching') ? 1600 : 220; }

function play() {
  state.playing = true;
  $('play').textContent = '❚❚ Pause';
  $('play').setAttribute('aria-label', 'Pause');
  // At the end, Play starts again from the first year once the first run
  // is in (its paired runs may still be coming).
  const complete = state.run && available() === state.run.years + 1;
  if (state.shown >= available() - 1 && (!state.abort || complete) && available() > 0) show(0);
  tick();
}

// playingStatus says, once the server is done, that the map is still
// playing the years.
function playingStatus() {
  setStatus(`Simulated in ${fmt(state.simulatedIn, 1)} s; playing ${state.run.startYear + state.shown} of ${state.run.startYear + state.run.years}…`);
}

// announceDone says that the run is done, once the animation has ended or
// been paused.
function announceDone() {
  if (!state.doneText) return;
  setStatus(state.doneText);
  state.doneText = null;
  document.body.dataset.played = '1';
}

function pause() {
  announceDone();
  state.playing = false;
  clearTimeout(state.timer);
  state.timer = null;
  $('play').textContent = '▶ Play';
  $('play').setAttribute('aria-label', 'Play');
}

// tick advances one year while playing, waiting for frames still to come.
function tick() {
  clearTimeout(state.timer);
  if (!state.playing) return;
  // The end: the last year shown of a run that is all in.
  const atEnd = () => !state.abort && state.run && available() >= state.run.years + 1 && state.shown >= available() - 1;
  if (state.shown < available() - 1) {
    show(state.shown + 1);
    if (atEnd()) { pause(); return; } // Done is said with the last year
    if (state.doneText) playingStatus();
  } else if (atEnd()) { pause(); return; }
  state.timer = setTimeout(tick, delay());
}

// ---------- the form ----------

let cardSeq = 0;

// addIntervention adds a card for iv; focus moves into it (not when a
// file fills the form: the panel stays at its top, at Scale and Years).
function addIntervention(iv, focus = true) {
  const kind = state.config.kinds.find(k => k.kind === iv.kind);
  if (!kind) return;
  const info = worldInfo($('world').value);
  const card = document.createElement('div');
  card.className = 'card';
  card.dataset.kind = kind.kind;
  const id = 'iv' + ++cardSeq;
  const h = document.createElement('h4');
  h.textContent = kindOption(kind.kind);
  const rm = document.createElement('button');
  rm.type = 'button';
  rm.textContent = '×';
  rm.setAttribute('aria-label', 'Remove ' + kindLabel(kind.kind));
  rm.addEventListener('click', () => card.remove());
  h.appendChild(rm);
  card.appendChild(h);
  const doc = document.createElement('p');
  doc.className = 'help';
  doc.textContent = kind.doc;
  card.appendChild(doc);
  card.appendChild(field(id + '-name', 'Name', input('text', iv.name || kindLabel(kind.kind), { maxlength: 100 }), 'name'));
  const years = document.createElement('div');
  years.className = 'years';
  const start = info.startYear;
  years.appendChild(field(id + '-from', 'From year', input('number', iv.fromYear || start + 2, { min: start, step: 1 }), 'from_year'));
  years.appendChild(field(id + '-to', 'To year', input('number', iv.toYear || '', { min: start, step: 1, placeholder: 'none' }), 'to_year'));
  if (!kind.noPhaseIn) years.appendChild(field(id + '-phase', 'Phase-in years', input('number', iv.phaseInYears || '', { min: 0, step: 1, placeholder: '0' }), 'phase_in_years'));
  card.appendChild(years);
  card.appendChild(regionPicker(id, kind, iv.regions || [], iv));
  const anyOf = kind.anyOf || [];
  const fields = [];
  for (const p of kind.params) {
    const given = iv.params && p.key in iv.params;
    const on = iv.params ? given : p.required || p.key === anyOf[0];
    const alt = kind.exclusive && anyOf.includes(p.key) ? anyOf.filter(k => k !== p.key) : null;
    const f = paramField(id, p, on, given ? iv.params[p.key] : undefined, alt);
    fields.push(f);
    card.appendChild(f);
  }
  if (kind.exclusive) {
    // Either one or the other: ticking one unticks the others.
    const group = fields.filter(f => anyOf.includes(f.dataset.param));
    for (const f of group) {
      f.querySelector('input.use').addEventListener('change', e => {
        if (!e.target.checked) return;
        for (const g of group) {
          if (g === f) continue;
          g.querySelector('input.use').checked = false;
          g.classList.add('off');
        }
      });
    }
  }
  const msg = document.createElement('div');
  msg.className = 'msgs';
  const warns = document.createElement('div');
  warns.className = 'warns';
  card.append(msg, warns);
  $('interventions').appendChild(card);
  $('add-kind').value = '';
  $('kind-doc').textContent = '';
  if (focus) card.querySelector('input').focus();
  return card;
}

function input(type, value, attrs = {}) {
  const i = document.createElement('input');
  i.type = type;
  // The range first: a slider's value set before its min, max and step is
  // clamped to the default 0–100 in steps of 1 (0.2 became 0).
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  if (value !== undefined) i.value = value;
  return i;
}

function field(id, label, control, key) {
  const d = document.createElement('div');
  d.className = 'field';
  const l = document.createElement('label');
  l.htmlFor = id;
  l.textContent = label;
  control.id = id;
  control.dataset.key = key;
  d.append(l, control);
  return d;
}

// regionPicker is a card's regions: chips of regions, or a selection by
// county and centrality class (from a scenario file: iv.county,
// iv.centrality, with iv.regions what it selects), which stays a selection
// in the TOML until a region is added or "List them" is pressed.
function regionPicker(id, kind, codes, iv = {}) {
  const d = document.createElement('div');
  d.className = 'field regions';
  d.dataset.key = 'regions';
  const l = document.createElement('label');
  l.htmlFor = id + '-region';
  const need = kind.minRegions;
  l.textContent = need === 0 ? 'Regions (none: the whole country)' : need === 1 ? 'Regions' : `Regions (at least ${need})`;
  const chips = document.createElement('div');
  chips.className = 'chips';
  const row = document.createElement('div');
  row.className = 'row';
  const inp = input('text', '', { list: 'region-names', placeholder: 'type a name', autocomplete: 'off' });
  inp.id = id + '-region';
  const add = document.createElement('button');
  add.type = 'button';
  add.textContent = 'Add';
  add.setAttribute('aria-label', 'Add region');
  const hint = document.createElement('small');
  hint.className = 'help';
  hint.setAttribute('aria-live', 'polite');
  const addRegion = () => {
    const typed = inp.value.trim();
    if (!typed) return;
    const { one: r, several } = findRegion(typed);
    if (!r) {
      // Said where it is seen, with the nearest name, as settle validate
      // says it (a hover title was all there was).
      inp.setAttribute('aria-invalid', 'true');
      if (several.length > 0) {
        hint.textContent = `“${typed}” is the name of ${several.length} regions: ` +
          several.map(r => `${r.name} (${r.code})`).join(', ') + '; pick one from the list.';
      } else {
        const near = nearestRegion(typed);
        hint.textContent = `No region “${typed}”` + (near ? `; did you mean ${near.name} (${near.code})?` : '; pick one from the list.');
      }
      return;
    }
    inp.removeAttribute('aria-invalid');
    hint.textContent = '';
    listSelection(chips);
    chip(chips, r.code);
    inp.value = '';
  };
  add.addEventListener('click', addRegion);
  inp.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); addRegion(); } });
  inp.addEventListener('change', addRegion);
  row.append(inp, add);
  d.append(l, chips, row, hint);
  if ((iv.county || []).length || (iv.centrality || []).length) selectionChip(chips, iv.county || [], iv.centrality || [], codes);
  else for (const c of codes) chip(chips, c);
  return d;
}

// selectionChip shows a selection by county and centrality class, with the
// regions it selects on hover, a button to turn it into their chips and
// one to remove it.
function selectionChip(chips, county, centrality, codes) {
  const s = document.createElement('span');
  s.className = 'chip selection';
  s.dataset.county = JSON.stringify(county);
  s.dataset.centrality = JSON.stringify(centrality);
  s.dataset.codes = JSON.stringify(codes);
  const parts = [];
  if (county.length) parts.push((county.length === 1 ? 'county ' : 'counties ') + county.join(', '));
  if (centrality.length) parts.push('centrality ' + centrality.join(', '));
  const names = codes.map(c => state.map.regions.find(r => r.code === c)?.name || c);
  s.append(`${parts.join(' · ')} (${codes.length} region${codes.length === 1 ? '' : 's'})`);
  s.title = names.join(', ');
  const list = document.createElement('button');
  list.type = 'button';
  list.className = 'list';
  list.textContent = 'List them';
  list.setAttribute('aria-label', `List the ${codes.length} regions, to add or remove some`);
  list.addEventListener('click', () => listSelection(chips));
  const x = document.createElement('button');
  x.type = 'button';
  x.textContent = '×';
  x.setAttribute('aria-label', 'Remove the selection ' + parts.join(', '));
  x.addEventListener('click', () => s.remove());
  s.append(list, x);
  chips.appendChild(s);
}

// listSelection replaces a selection chip by chips of the regions it
// selects (before a region is added to them).
function listSelection(chips) {
  const sel = chips.querySelector('.chip.selection');
  if (!sel) return;
  sel.remove();
  for (const c of JSON.parse(sel.dataset.codes)) chip(chips, c);
}

// foldName is a name without case and diacritics, with the keyboard
// spellings of æ, ø and å (ae, o/oe, a/aa), as the engine's region lookup
// folds them: Bodo is Bodø, Baerum Bærum, Aas Ås.
function foldName(s) {
  return s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/đ/g, 'd').replace(/ŋ/g, 'n').replace(/ŧ/g, 't')
    .replace(/[ʒǯ]/g, 'z').replace(/ǥ/g, 'g').replace(/ǩ/g, 'k')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/aa/g, 'a').replace(/oe/g, 'o').trim();
}

// findRegion finds the region a typed text names: its name, its code, the
// list's "name (code)", or one part of a name in two languages
// ("Trondheim" for "Trondheim - Tråante"), each folded. It returns {one}
// when exactly one region matches, else {several} (two Herøy, two Våler),
// which is empty when none does.
function findRegion(typed) {
  const v = foldName(typed);
  if (!v) return { one: null, several: [] };
  const whole = state.map.regions.filter(r => foldName(`${r.name} (${r.code})`) === v || foldName(r.name) === v || foldName(r.code) === v);
  const found = whole.length > 0 ? whole : state.map.regions.filter(r => r.name.split(' - ').some(p => foldName(p) === v));
  return found.length === 1 ? { one: found[0], several: [] } : { one: null, several: found };
}

// nearestRegion is the region whose folded name, name part or code is
// fewest edits from the typed text, when it is close (at most a third of
// its letters).
function nearestRegion(typed) {
  const v = foldName(typed);
  let best = null, bestD = Infinity;
  for (const r of state.map.regions) {
    for (const c of [r.name, r.code, ...r.name.split(' - ')]) {
      const d = editDistance(v, foldName(c));
      if (d < bestD) { best = r; bestD = d; }
    }
  }
  return bestD <= Math.max(1, Math.floor(v.length / 3)) ? best : null;
}

function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function chip(chips, code) {
  if ([...chips.children].some(c => c.dataset.code === code)) return;
  const r = state.map.regions.find(r => r.code === code);
  const s = document.createElement('span');
  s.className = 'chip';
  s.dataset.code = code;
  s.textContent = r ? r.name : code;
  const x = document.createElement('button');
  x.type = 'button';
  x.textContent = '×';
  x.setAttribute('aria-label', 'Remove ' + (r ? r.name : code));
  x.addEventListener('click', () => s.remove());
  s.appendChild(x);
  chips.appendChild(s);
}

// paramField is the field of parameter p; alt lists the parameters it is an
// alternative to (exactly one of them is given).
function paramField(id, p, on, value, alt) {
  const d = document.createElement('div');
  d.className = 'param field' + (on ? '' : ' off');
  d.dataset.param = p.key;
  d.dataset.kindOf = p.kind;
  const fid = `${id}-${p.key}`;
  const use = input('checkbox', undefined);
  use.checked = on;
  use.disabled = !!p.required;
  use.id = fid + '-use';
  use.className = 'use';
  const l = document.createElement('label');
  l.className = 'check';
  l.htmlFor = use.id;
  const words = p.key.replace(/_/g, ' ');
  const unit = p.unit && p.unit.replace('/', ' per ') !== words && p.unit !== words ? ` (${p.unit})` : '';
  const note = p.required ? '' : alt ? ` — or ${alt.map(k => k.replace(/_/g, ' ')).join(' or ')}` : ' — optional';
  l.append(use, document.createTextNode(words + unit + note));
  l.title = p.doc;
  d.appendChild(l);
  const help = document.createElement('small');
  help.className = 'help';
  help.textContent = p.doc;
  let ctl;
  if (p.kind === 'number' || p.kind === 'integer') {
    const step = p.kind === 'integer' ? 1 : stepFor(p.sliderMax - p.sliderMin);
    let v = value ?? (p.default && p.default >= p.sliderMin && p.default <= p.sliderMax && p.default !== p.sliderMax ? p.default : start(p));
    const row = document.createElement('div');
    row.className = 'slider';
    const range = input('range', v, { min: p.sliderMin, max: p.sliderMax, step, 'aria-label': p.key.replace(/_/g, ' ') + ' slider' });
    const num = input('number', v, { step });
    if (p.min !== null) num.min = p.min;
    if (p.max !== null) num.max = p.max;
    num.id = fid;
    num.className = 'value';
    num.setAttribute('aria-label', p.key.replace(/_/g, ' '));
    range.addEventListener('input', () => { num.value = range.value; });
    num.addEventListener('input', () => { range.value = num.value; });
    row.append(range, num);
    ctl = row;
  } else if (p.kind === 'string') {
    ctl = document.createElement('select');
    ctl.className = 'value';
    ctl.id = fid;
    ctl.setAttribute('aria-label', p.key.replace(/_/g, ' '));
    for (const c of p.choices) {
      const o = document.createElement('option');
      o.value = o.textContent = c;
      ctl.appendChild(o);
    }
    if (value !== undefined) ctl.value = value;
  } else if (p.kind === 'list') {
    ctl = document.createElement('div');
    ctl.className = 'choices row';
    for (const c of p.choices) {
      const cb = input('checkbox', undefined);
      cb.value = c;
      cb.checked = value === undefined || value.includes(c);
      cb.id = `${fid}-${c}`;
      const cl = document.createElement('label');
      cl.htmlFor = cb.id;
      cl.className = 'check';
      cl.append(cb, document.createTextNode(c));
      ctl.appendChild(cl);
    }
  } else { // bool
    ctl = document.createElement('select');
    ctl.className = 'value';
    ctl.id = fid;
    ctl.setAttribute('aria-label', p.key.replace(/_/g, ' '));
    for (const c of ['true', 'false']) {
      const o = document.createElement('option');
      o.value = o.textContent = c;
      ctl.appendChild(o);
    }
    if (value !== undefined) ctl.value = String(value);
  }
  use.addEventListener('change', () => d.classList.toggle('off', !use.checked));
  d.append(ctl, help);
  return d;
}

function stepFor(span) { return span <= 1 ? 0.01 : span <= 10 ? 0.1 : span <= 200 ? 1 : span <= 2000 ? 10 : span <= 20000 ? 100 : 1000; }
function start(p) {
  const v = p.sliderMin + (p.sliderMax - p.sliderMin) * (p.sliderMin < 0 ? 0.6 : 0.2);
  return p.kind === 'integer' ? Math.round(v) : +v.toPrecision(2);
}

// spec reads the form into the JSON the server expects (web.Spec).
function spec() {
  const num = id => ($(id).value === '' ? NaN : Number($(id).value));
  const s = {
    name: $('name').value.trim(), world: $('world').value, years: num('years'), seed: num('seed'), scale: decimal($('scale').value),
    interventions: [],
  };
  // The default projection (the first) is left out, as in a file that does not name one.
  if ($('projection').selectedIndex > 0) s.projection = $('projection').value;
  if (state.behaviour) s.behaviour = state.behaviour;
  if (state.description) s.description = state.description;
  for (const card of $('interventions').children) {
    const q = key => card.querySelector(`[data-key="${key}"]`);
    const iv = { kind: card.dataset.kind, name: q('name').value.trim(), fromYear: Number(q('from_year').value) || 0, params: {} };
    if (q('to_year').value) iv.toYear = Number(q('to_year').value);
    if (q('phase_in_years')?.value) iv.phaseInYears = Number(q('phase_in_years').value);
    const sel = card.querySelector('.chip.selection');
    if (sel) {
      const county = JSON.parse(sel.dataset.county), centrality = JSON.parse(sel.dataset.centrality);
      if (county.length) iv.county = county;
      if (centrality.length) iv.centrality = centrality;
    }
    const codes = [...card.querySelectorAll('.chip:not(.selection)')].map(c => c.dataset.code);
    if (codes.length) iv.regions = codes;
    for (const d of card.querySelectorAll('.param')) {
      if (!d.querySelector('.use').checked) continue;
      const k = d.dataset.param, kind = d.dataset.kindOf;
      if (kind === 'number' || kind === 'integer') iv.params[k] = Number(d.querySelector('input.value').value);
      else if (kind === 'string') iv.params[k] = d.querySelector('select').value;
      else if (kind === 'bool') iv.params[k] = d.querySelector('select').value === 'true';
      else iv.params[k] = [...d.querySelectorAll('.choices input:checked')].map(c => c.value);
    }
    s.interventions.push(iv);
  }
  for (const k of ['years', 'seed', 'scale']) if (!Number.isFinite(s[k])) s[k] = -1;
  return s;
}

// formProblems checks what the server could not read, or would read as
// something else (an empty parameter as 0, an empty From year as year 0,
// a seed beyond the numbers a page can send exactly): whole numbers where
// the form wants them, in their range, and the scale as a number. The
// server checks the rest. Messages follow the field's label (fieldLabel).
function formProblems() {
  const out = [];
  const add = (key, message) => out.push({ key, message });
  // whole checks a field for a whole number of at least min (and at most
  // max, beyond which limit says why); empty is allowed when optional.
  // A number field's value is '' for typed text that is no number too
  // ("1e", "--1"; any text in Firefox): validity.badInput tells it from
  // an empty field, also in an optional one (To year).
  const whole = (el, key, { what, example, min, max, limit = '', optional = false }) => {
    const v = el.value.trim();
    if (el.validity?.badInput) return add(key, `is not a number; write ${what}, e.g. ${example}`);
    if (v === '') return optional ? undefined : add(key, `is empty; write ${what}, e.g. ${example}`);
    if (!/^[-−]?\d+$/.test(v)) return add(key, `${v} is not a whole number; write ${what}, e.g. ${example}`);
    const n = Number(v.replace('−', '-'));
    if (n < min) return add(key, `must be ${min} or more: ${what}, e.g. ${example}`);
    if (max !== undefined && n > max) return add(key, `${v} is too large; write a whole number from ${min} to ${fmtInt(max)}${limit}`);
  };
  // Every field is checked, each on its own: Years 2.5 does not hide
  // Scale 1.5.
  const maxYears = state.config.limits.maxYears;
  whole($('years'), 'scenario.years', { what: 'the number of years to simulate', example: 20, min: 1, max: maxYears,
    limit: ` (this server's limit; settle serve --max-years raises it)` });
  // Seeds beyond 2^53 − 1 cannot be sent exactly as a JavaScript number.
  whole($('seed'), 'scenario.seed', { what: 'the seed of the random numbers', example: 1, min: 0, max: Number.MAX_SAFE_INTEGER });
  // The scale: a share above 0 (0 simulates nobody), at most 1 and at
  // most what this server allows in the world.
  const sc = $('scale').value.trim(), x = decimal(sc.replace(/^[-−]/, ''));
  const info = worldInfo($('world').value);
  const share = 'the share of the population to simulate, e.g. 0.05 (a 5 % sample)';
  if (sc === '') add('scenario.scale', 'is empty; write the share of the population to simulate, e.g. 0.05');
  else if (Number.isNaN(x)) add('scenario.scale', `“${sc}” is not a number; write the share of the population to simulate, e.g. 0.05`);
  else if (/^[-−]/.test(sc) || x === 0) add('scenario.scale', `must be above 0: ${share}`);
  else if (x > 1) add('scenario.scale', `${sc} is too large; write a share above 0 and at most 1 (everyone), e.g. 0.05 (a 5 % sample)`);
  else if (info && x > info.maxScale) {
    add('scenario.scale', `${sc} is too large for this server; write a share above 0 and at most ${info.maxScale} in ${info.name} ` +
      `(${fmtInt(state.config.limits.maxPersons)} simulated persons; settle serve --max-persons raises the limit)`);
  }
  [...$('interventions').children].forEach((card, k) => {
    const at = `intervention[${k + 1}]`;
    const q = key => card.querySelector(`[data-key="${key}"]`);
    const start = worldInfo($('world').value).startYear;
    whole(q('from_year'), at + '.from_year', { what: 'the first year it is in force', example: start + 2, min: 0 });
    whole(q('to_year'), at + '.to_year', { what: 'the last year it is in force, or leave it empty (no end)', example: start + 5, min: 0, optional: true });
    if (q('phase_in_years')) whole(q('phase_in_years'), at + '.phase_in_years', { what: 'the years it takes to reach full strength (0 or empty: at once)', example: 3, min: 0, optional: true });
    for (const d of card.querySelectorAll('.param')) {
      const kind = d.dataset.kindOf;
      if (!d.querySelector('.use').checked || (kind !== 'number' && kind !== 'integer')) continue;
      const el = d.querySelector('input.value'), v = el.value.trim();
      const untick = d.querySelector('.use').disabled ? '' : ', or untick it';
      if (el.validity.badInput || (v !== '' && !Number.isFinite(Number(v)))) add(`${at}.${d.dataset.param}`, `is not a number; give a number${untick}`);
      else if (v === '') add(`${at}.${d.dataset.param}`, `is empty; give a number${untick}`);
    }
  });
  return out;
}

// fieldLabel names the field of a problem's key as the form labels it:
// "Years", "Intervention 2 (Holmøy bridge) · From year".
function fieldLabel(key) {
  const m = /^intervention\[(\d+)\](?:\.([a-z_]+))?/.exec(key);
  if (m) {
    const card = $('interventions').children[Number(m[1]) - 1];
    const name = card?.querySelector('[data-key="name"]')?.value.trim();
    let s = `Intervention ${m[1]}` + (name ? ` (${name})` : '');
    const f = m[2];
    if (f && f !== 'kind') {
      const el = card?.querySelector(`[data-key="${f}"]`);
      const own = el && (el.labels?.[0] || el.querySelector?.('label'));
      s += ' · ' + (f === 'county' || f === 'centrality' ? 'Regions' : own ? own.textContent.trim() : f.replace(/_/g, ' '));
    }
    return s;
  }
  const el = document.querySelector(`[data-key="${key}"]`);
  const l = el?.labels?.[0];
  if (l) return l.textContent.trim();
  return { scenario: 'Scenario', behaviour: 'Behaviour settings', replicates: 'Paired runs' }[key.split('.')[0]] || key;
}

// checkForm shows formProblems and reports whether there were none. What
// the page finds comes with what the server finds in the rest of the form
// (serverProblems), so that every mistake is listed at once, in the
// form's order.
async function checkForm() {
  const found = formProblems();
  if (!found.length) return true;
  const list = formOrder([...found, ...await serverProblems(found)]);
  const e = Object.assign(new Error(list.length === 1 ? 'Check the scenario: 1 problem' : `Check the scenario: ${list.length} problems`), { body: { problems: list } });
  problems(e);
  setStatus(`${e.message}. ${fieldLabel(list[0].key)}: ${list[0].message}`, true);
  return false;
}

// serverProblems asks the server (POST /api/toml, which checks as settle
// run does) about the rest of a form in which the page found problems:
// the fields it found wrong are sent as values the server accepts, and
// the server's problems of those fields, or of an intervention with one,
// are left out (the page has said what is wrong there). [] when the
// server cannot be asked.
async function serverProblems(found) {
  const s = spec();
  const keys = new Set(found.map(p => p.key));
  const cards = new Set(found.map(p => /^intervention\[(\d+)\]/.exec(p.key)?.[1]).filter(Boolean));
  const info = worldInfo(s.world);
  if (keys.has('scenario.years')) s.years = state.config.limits.maxYears;
  if (keys.has('scenario.seed')) s.seed = 1;
  if (keys.has('scenario.scale')) s.scale = info.defaultScale;
  s.interventions.forEach((iv, k) => {
    if (!cards.has(String(k + 1))) return;
    if (!Number.isInteger(iv.fromYear) || iv.fromYear === 0) iv.fromYear = info.startYear;
    if (!Number.isInteger(iv.toYear)) delete iv.toYear;
    if (!Number.isInteger(iv.phaseInYears)) delete iv.phaseInYears;
    for (const [p, v] of Object.entries(iv.params)) if (typeof v === 'number' && !Number.isFinite(v)) delete iv.params[p];
  });
  try {
    const r = await fetch('/api/toml', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ spec: s }) });
    if (r.ok) return [];
    const body = await r.json();
    return (body.problems || []).filter(p => {
      const card = /^intervention\[(\d+)\]/.exec(p.key)?.[1];
      return !keys.has(p.key) && !(card && cards.has(card));
    });
  } catch {
    return [];
  }
}

// formOrder sorts problems as the form shows their fields: the scenario's
// (world, scale, years, seed, name), then each intervention's.
function formOrder(list) {
  const rank = key => {
    const m = /^intervention\[(\d+)\]/.exec(key);
    if (m) return 100 + Number(m[1]);
    const k = ['scenario.world', 'scenario.scale', 'scenario.years', 'scenario.seed', 'scenario.name'].indexOf(key);
    return k >= 0 ? k : 50;
  };
  return list.map((p, k) => [p, k]).sort((a, b) => rank(a[0].key) - rank(b[0].key) || a[1] - b[1]).map(([p]) => p);
}

// showWarnings shows what settle validate would warn about the scenario
// (the server's warnings: valid, but probably not meant, such as closing
// more jobs than a region has), in the panel and on the interventions'
// cards. They do not stop a run.
function showWarnings(list) {
  const box = $('warnings');
  box.textContent = '';
  for (const w of document.querySelectorAll('.card .warns')) w.textContent = '';
  if (!list?.length) return;
  const h = document.createElement('strong');
  h.textContent = list.length === 1 ? 'Warning (it runs all the same):' : `${list.length} warnings (it runs all the same):`;
  const ul = document.createElement('ul');
  for (const w of list) {
    const li = document.createElement('li');
    li.textContent = nb(w.message);
    ul.appendChild(li);
    const m = /^intervention\[(\d+)\]/.exec(w.key);
    const card = m && $('interventions').children[Number(m[1]) - 1];
    // The card says so, once; the text is in the list below the cards.
    if (card && !card.querySelector('.warns').childElementCount) {
      const p = document.createElement('p');
      p.className = 'warn';
      p.textContent = 'Warning: see below the interventions.';
      card.querySelector('.warns').appendChild(p);
    }
  }
  box.append(h, ul);
}

// problems shows the server's problems next to the fields they concern.
function problems(err) {
  const box = $('problems');
  box.textContent = '';
  for (const n of document.querySelectorAll('[aria-invalid=true]')) n.removeAttribute('aria-invalid');
  for (const c of document.querySelectorAll('.card')) { c.classList.remove('bad'); c.querySelector('.msgs').textContent = ''; }
  for (const m of document.querySelectorAll('.field > .msg')) m.remove();
  if (!err) return;
  const h = document.createElement('strong');
  h.textContent = err.message.charAt(0).toUpperCase() + err.message.slice(1);
  box.appendChild(h);
  const list = err.body?.problems || [];
  const ul = document.createElement('ul');
  let focus = null;
  for (const p of list) {
    const li = document.createElement('li');
    li.textContent = nb(`${fieldLabel(p.key)}: ${p.message}`);
    ul.appendChild(li);
    const m = /^intervention\[(\d+)\](?:\.([a-z_]+))?/.exec(p.key);
    let target = null;
    if (m) {
      const card = $('interventions').children[Number(m[1]) - 1];
      if (card) {
        card.classList.add('bad');
        const msg = document.createElement('p');
        msg.className = 'msg';
        msg.textContent = nb(p.message);
        card.querySelector('.msgs').appendChild(msg);
        target = (m[2] && (card.querySelector(`[data-key="${m[2]}"]`) || card.querySelector(`[data-param="${m[2]}"] .value`) || card.querySelector(`[data-key="${m[2]}"] input`))) || card.querySelector('input');
      }
    } else {
      target = document.querySelector(`[data-key="${p.key}"]`);
      if (target?.parentNode?.classList.contains('field')) {
        const msg = document.createElement('p');
        msg.className = 'msg';
        msg.textContent = nb(p.message);
        target.parentNode.appendChild(msg);
      }
    }
    if (target) { (target.querySelector?.('input') || target).setAttribute('aria-invalid', 'true'); focus ??= target; }
  }
  if (list.length) box.appendChild(ul);
  const f = focus?.querySelector?.('input') || focus;
  if (f?.focus) { f.focus(); f.scrollIntoView({ block: 'center' }); } else box.scrollIntoView({ block: 'nearest' });
}

// ---------- loading and downloading ----------

// applySpec puts a scenario (web.Spec, as spec() writes it) into the form.
async function applySpec(s) {
  await setWorld(s.world, false);
  for (const card of [...$('interventions').children]) card.remove();
  $('scale').value = s.scale;
  $('years').value = s.years;
  $('seed').value = s.seed;
  $('name').value = s.name;
  $('projection').value = s.projection || state.config.projections[0].name;
  state.behaviour = s.behaviour || null;
  state.description = s.description || '';
  $('behaviour-note').textContent = s.behaviour ? `Behaviour from the file: ${Object.entries(s.behaviour).map(([k, v]) => `${k} = ${v}`).join(', ')}` : '';
  for (const iv of s.interventions || []) addIntervention(iv, false);
  showWarnings(null);
  scaleHelp();
  $('panel').scrollTop = 0;
}

// The scenario last run or downloaded is kept in this browser, so that a
// reload (or a closed tab) does not lose the form: the page offers it back.
const SAVED = 'settle.lastScenario';

function saveScenario(s) {
  try {
    localStorage.setItem(SAVED, JSON.stringify({ spec: s, compare: $('compare').checked, replicates: $('replicates').value, teaching: $('teaching').checked }));
  } catch { /* storage off: nothing to offer back */ }
}

function offerSaved() {
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(SAVED)); } catch { /* */ }
  if (!saved?.spec || !state.config.worlds.some(w => w.name === saved.spec.world)) return;
  const n = (saved.spec.interventions || []).length;
  const b = document.createElement('button');
  b.type = 'button';
  b.id = 'restore';
  b.textContent = `Restore “${saved.spec.name}” (${saved.spec.world}, ${n} intervention${n === 1 ? '' : 's'})`;
  b.addEventListener('click', async () => {
    if (saved.teaching !== $('teaching').checked) {
      $('teaching').checked = saved.teaching;
      await teachingMode();
    }
    await applySpec(saved.spec);
    $('compare').checked = !!saved.compare;
    $('replicates').value = saved.replicates || '3';
    $('replicates-box').hidden = !saved.compare;
    $('file-notes').textContent = `Restored ${saved.spec.name}, the scenario last run in this browser.`;
    setStatus(`Restored ${saved.spec.name}. Press Run to simulate it.`);
  });
  $('file-notes').replaceChildren('The scenario you last ran here: ', b);
  $('files-box').hidden = false; // also without a scenarios folder
}

async function loadFile() {
  const f = $('file').value;
  if (!f) return;
  problems(null);
  try {
    const l = await getJSON('/api/scenarios/' + encodeURIComponent(f));
    if (l.error) {
      problems({ message: l.error });
      return;
    }
    const s = l.spec;
    await applySpec(s);
    state.loaded = { file: l.file, world: s.world, name: s.name };
    $('file-notes').textContent = nb([`Loaded ${l.file}${s.description ? ': ' + s.description : ''}.`, ...(l.notes || [])].join(' '));
    showWarnings(l.warnings);
    const nw = (l.warnings || []).length;
    setStatus(`Loaded ${l.file}` + (nw ? ` (${nw} warning${nw > 1 ? 's' : ''}: see the panel)` : '') + '. Press Run to simulate it.');
  } catch (e) {
    problems(e);
  }
}

async function download() {
  problems(null);
  if (!(await checkForm())) return;
  const s = spec();
  saveScenario(s);
  try {
    const r = await fetch('/api/toml', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ spec: s }) });
    if (!r.ok) {
      const body = await r.json();
      throw Object.assign(new Error(body.error), { body });
    }
    const blob = await r.blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = (s.name || 'scenario') + '.toml';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    setStatus(`Downloaded ${a.download}: run it with settle run ${a.download}`);
  } catch (e) {
    problems(e);
  }
}

// ---------- running ----------

async function run() {
  stop();
  problems(null);
  showWarnings(null);
  state.doneText = null;
  state.ended = false;
  state.streaming = false;
  if (!(await checkForm())) return;
  const s = spec();
  saveScenario(s);
  const compare = $('compare').checked;
  const replicates = Number($('replicates').value);
  const ctl = new AbortController();
  state.abort = ctl;
  state.timing = { clicked: performance.now(), firstFrame: 0 };
  delete document.body.dataset.done;
  $('run').disabled = true;
  $('stop').disabled = false;
  setStatus('Starting…');
  let resp;
  try {
    resp = await network(fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ spec: s, compare, replicates }), signal: ctl.signal }));
    if (!resp.ok) {
      let body = null;
      try { body = await resp.json(); } catch { /* */ }
      throw Object.assign(new Error(body?.error || `the server answered ${resp.status}`), { body });
    }
    await readEvents(resp.body, ctl);
  } catch (e) {
    if (e.name === 'AbortError') setStatus('Stopped.');
    else if (e.network) {
      // fetch and the stream's reader fail with a TypeError when the
      // connection breaks: the server stopped or the network went away.
      pause();
      oneRunOnly();
      setStatus(state.streaming
        ? `Lost the connection to the server after ${Math.max(0, available() - 1)} of ${state.run.years} years: it may have been stopped. Start settle serve again and press Run.`
        : 'The server does not answer: it may have been stopped. Start settle serve again and press Run.', true);
    } else {
      ctl.abort(); // a mistake of the page's own code: the server stops too
      problems(e);
      const first = e.body?.problems?.[0];
      const text = first ? `${e.message}. ${fieldLabel(first.key)}: ${first.message}` : e.message;
      setStatus(text.charAt(0).toUpperCase() + text.slice(1), true);
    }
  } finally {
    if (state.abort === ctl) {
      state.abort = null;
      $('run').disabled = false;
      $('stop').disabled = true;
    }
  }
}

// oneRunOnly: a run that ended (Stop, a failure, a lost connection) before
// its paired runs were all in leaves the map of one paired run, which says
// so rather than promise the others.
function oneRunOnly() {
  if (state.run?.replicates > 1 && !state.chanceReady) {
    state.run.replicates = 1;
    state.reps = [];
    if (state.shown >= 0) show(state.shown);
  }
}

function stop() {
  if (state.abort) state.abort.abort();
  state.abort = null;
  oneRunOnly();
  $('run').disabled = false;
  $('stop').disabled = true;
}

// network marks the failure of a request or of reading its stream (fetch
// and the reader reject with a TypeError when the connection breaks), so
// that it is told apart from a mistake of the page's own code.
async function network(p) {
  try {
    return await p;
  } catch (e) {
    if (e instanceof TypeError) e.network = true;
    throw e;
  }
}

// readEvents parses the Server-Sent Events of a run. A stream that ends
// without saying how the run ended (done or fail) was cut: an error.
async function readEvents(body, ctl) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await network(reader.read());
    if (done) {
      if (state.abort === ctl && !state.ended) throw Object.assign(new Error('the stream ended early'), { network: true });
      break;
    }
    buf += value;
    let k;
    while ((k = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, k);
      buf = buf.slice(k + 2);
      let event = 'message', data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (state.abort !== ctl) return;
      handle(event, data ? JSON.parse(data) : null);
    }
  }
}

function handle(event, d) {
  switch (event) {
    case 'queue':
      setStatus(`Waiting for a free slot: you are number ${d.position} in the queue.`);
      document.body.dataset.queue = d.position;
      break;
    case 'start':
      delete document.body.dataset.queue;
      state.ended = false;
      state.streaming = true;
      state.run = d;
      state.frames = { scenario: [], baseline: [] };
      state.reps = Array.from({ length: Math.max(0, (d.replicates || 1) - 1) }, () => ({ scenario: [], baseline: [] }));
      state.chanceReady = false;
      state.clearCache = null;
      document.body.dataset.frames = 0;
      delete document.body.dataset.done;
      $('view-box').hidden = !d.compare;
      resetTimeline();
      showWarnings(d.warnings);
      setStatus(`Simulating ${d.name}: ${d.world}, scale ${d.scale}, seed ${d.seed}, ${d.years} years${d.compare ? ', with the baseline' : ''}` +
        (d.warnings?.length ? ` (${d.warnings.length} warning${d.warnings.length > 1 ? 's' : ''}: see the panel)` : '') + '…');
      // A phone: the map is below the form (and under the header, which
      // stays at the top with the status).
      if (narrow()) $('mapview').scrollIntoView({ block: 'start' });
      play();
      break;
    case 'frame': {
      if (d.replicate > 1) {
        state.reps[d.replicate - 2][d.side].push(d);
        const done = state.reps.reduce((a, x) => a + Math.min(x.scenario.length, x.baseline.length), 0);
        setStatus(`Checking for chance: paired run ${d.replicate} of ${state.run.replicates}, ${Math.round(100 * done / (state.reps.length * (state.run.years + 1)))} % …`);
        if (repsReady()) {
          state.chanceReady = true;
          if (state.shown >= 0) show(state.shown); // the map's mean and greying
        }
        break;
      }
      state.frames[d.side].push(d);
      const n = available();
      document.body.dataset.frames = state.frames.scenario.length;
      if (n === 1 && state.shown < 0) {
        state.timing.firstFrame = performance.now();
        show(0);
      }
      $('year').max = Math.max(0, n - 1);
      break;
    }
    case 'done':
      state.ended = true;
      // Done is said when the animation is (teaching mode plays a year in
      // 1.6 s, long after the server has finished): until then the status
      // says that the years are in and the map plays them (tick, pause).
      const nw = state.run.warnings?.length || 0;
      state.doneText = `Done: ${state.run.years} years of ${state.run.name} in ${fmt(d.seconds, 1)} s` +
        (nw ? ` (${nw} warning${nw > 1 ? 's' : ''}: see the panel)` : '') + `. Drag the year slider, click a ${regionWord()}, or change what the map shows.`;
      state.simulatedIn = d.seconds;
      if (state.playing && state.shown < available() - 1) playingStatus();
      else announceDone();
      document.body.dataset.done = '1';
      state.abort = null;
      $('run').disabled = false;
      $('stop').disabled = true;
      if (!state.playing) show(state.shown);
      break;
    case 'fail':
      state.ended = true;
      pause();
      oneRunOnly();
      setStatus(d.stopped === 'server' ? 'Stopped: ' + d.message : 'The simulation failed: ' + d.message, true);
      break;
  }
}

// ---------- charts ----------

function years() {
  const n = available();
  return Array.from({ length: n }, (_, i) => state.run.startYear + i);
}

function sides() {
  return state.run?.compare ? [['scenario', 'scenario', 'scenario'], ['baseline', 'baseline', 'baseline']] : [['scenario', 'scenario', 'scenario']];
}

const BAND_LABELS = Array.from({ length: 19 }, (_, i) => (i === 18 ? '90+' : `${i * 5}–${i * 5 + 4}`));

function nationalCharts() {
  const n = available();
  if (!state.run || n === 0) {
    for (const id of ['c-central', 'c-pyr', 'c-rate']) {
      const svg = $(id);
      clear(svg);
      svg.setAttribute('viewBox', '0 0 320 60');
      const shown = svg.getBoundingClientRect().width; // text in screen pixels, as draw.js frame
      svg.style.setProperty('--u', shown > 0 ? (320 / shown).toFixed(4) : 1);
      el(svg, 'text', { x: 160, y: 34, 'text-anchor': 'middle', fill: '#666', class: 'placeholder' }, 'Press Run to draw this chart.');
    }
    return;
  }
  const xs = years();
  const i = state.shown;
  lineChart($('c-central'), xs, sides().map(([side, cls, label]) => ({ values: state.frames[side].slice(0, n).map(f => f.central), cls, label })),
    xs[i], { digits: 1, lastYear: state.run.startYear + state.run.years, minSpan: 20, min: 0, max: 100 });
  const f = state.frames.scenario[i];
  const ages = Array.from({ length: 101 }, (_, a) => String(a));
  const b = state.run.compare ? state.frames.baseline[i] : null;
  pyramid($('c-pyr'), f.pyramid[0].slice(0, 101), f.pyramid[1].slice(0, 101), ages, 10, b ? [b.pyramid[0].slice(0, 101), b.pyramid[1].slice(0, 101)] : null);
  $('c-pyr-cap').textContent = `Age pyramid, whole country, ${xs[i]}` + (b ? ' (line: baseline)' : '');
  // Moving rates: the year shown (from its second year on) and the mean so far.
  const j = Math.max(1, i);
  if (n > 1) {
    const rate = k => state.frames.scenario[k].moveRate.slice(0, 91);
    const mean = rate(1).map((_, a) => { let s = 0; for (let k = 1; k < n; k++) s += state.frames.scenario[k].moveRate[a]; return s / (n - 1); });
    const ages91 = Array.from({ length: 91 }, (_, a) => a);
    lineChart($('c-rate'), ages91, [{ values: rate(Math.min(j, n - 1)), cls: 'scenario', label: String(xs[Math.min(j, n - 1)]) }, { values: mean, cls: 'baseline', label: 'mean of all years' }], undefined, { zero: true, lastYear: 90 });
    $('c-rate-cap').textContent = 'Moves between regions per 1000, by age (x: age)';
  } else clear($('c-rate'));
}

function select(i) {
  state.selected = i;
  for (const ps of state.paths) ps.forEach((p, r) => p.classList.toggle('selected', r === i));
  for (const ps of state.paths) if (ps[i]) ps[i].parentNode.appendChild(ps[i]); // draw its border on top
  const r = state.map.regions[i];
  $('find').value = `${r.name} (${r.code})`;
  regionPanel();
  document.body.dataset.selected = r.code;
}

function regionPanel() {
  const i = state.selected;
  if (i < 0 || !state.map) {
    $('region-title').textContent = `Click a ${regionWord()} on the map`;
    $('region-charts').hidden = true;
    return;
  }
  const r = state.map.regions[i];
  $('region-title').textContent = `${r.name} (${r.code})` + (r.county ? `, ${r.county}` : '') + (r.centrality ? ` · centrality ${r.centrality}` : '');
  const n = available();
  if (!state.run || n === 0) {
    $('region-summary').textContent = `${fmtInt(r.population)} residents on 1 January. Press Run to simulate.`;
    $('region-charts').hidden = true;
    return;
  }
  const s = state.frames.scenario, k = state.shown, xs = years();
  const change = s[0].pop[i] > 0 ? (100 * (s[k].pop[i] - s[0].pop[i])) / s[0].pop[i] : NaN;
  let summary = `${xs[k]}: ${fmtInt(s[k].pop[i])} residents (${signed(change)} % since ${xs[0]}), median age ${fmt(s[k].median[i], 1)}, ${fmt(s[k].higherEd[i], 0)} % of adults with higher education.`;
  if (state.run.compare && k > 0) summary += ' ' + comparison(i, k);
  $('region-summary').textContent = nb(summary);
  $('region-charts').hidden = false;
  const reps = state.run.compare ? state.run.replicates || 1 : 1;
  $('c-traj-cap').textContent = reps > 1 ? `Population (the first of ${reps} paired runs)` : 'Population';
  lineChart($('c-traj'), xs, sides().map(([side, cls, label]) => ({ values: state.frames[side].slice(0, n).map(f => f.pop[i]), cls, label })), xs[k], { lastYear: state.run.startYear + state.run.years });
  const pyr = s[k].pyr[i];
  pyramid($('c-rpyr'), pyr.slice(0, 19), pyr.slice(19), BAND_LABELS, 2, null);
  $('c-rpyr-cap').textContent = `Age pyramid, ${xs[k]}`;
  const motives = state.config.motives;
  const ins = motives.map(() => 0), outs = motives.map(() => 0);
  for (let y = 1; y <= k; y++) motives.forEach((_, m) => { ins[m] += s[y].in[i][m]; outs[m] += s[y].out[i][m]; });
  butterfly($('c-motive'), motives.map(m => MOTIVE_LABEL[m] || m), ins, outs);
  $('c-motive-cap').textContent = k > 0 ? `Why did they move? Moves ${xs[0]}–${xs[k]} by motive` : 'Why did they move? (after the first year)';
}

// comparison is what the region panel says of region i's difference
// from the baseline at year index k: one number, the one the map shows.
// With several paired runs, the first run's difference while the others
// come (said to be the first), then only their mean with its interval; a
// region of few simulated persons is said to be mostly chance, with the
// scale that would make it large enough.
function comparison(i, k) {
  const s = state.frames.scenario, b = state.frames.baseline, xs = years();
  const reps = state.run.replicates || 1;
  const few = tooFew(i);
  const fewText = () => ` With ${fmtInt(simulated(i))} simulated persons here that is mostly chance (a region needs ${MIN_SAMPLED}).` + scaleAdvice([i]);
  const st = diffStats(k, i, 'change');
  if (st) {
    const runs = [state.frames, ...state.reps];
    const d = runs.reduce((a, x) => a + x.scenario[k].pop[i] - x.baseline[k].pop[i], 0) / runs.length;
    let text = `Over ${reps} paired runs the scenario has on average ` +
      (Math.round(d) === 0 ? 'as many residents as the baseline' : `${fmtInt(Math.abs(d))} ${d > 0 ? 'more' : 'fewer'} residents than the baseline`) +
      `: ${signed(st.mean)} points of growth since ${xs[0]}`;
    if (runs.every(x => x.scenario[k].pop[i] === x.baseline[k].pop[i])) return `No difference from the baseline in any of the ${reps} paired runs.`;
    if (few) return text + '.' + fewText();
    text += ` (90 % interval ${signed(st.lo)} to ${signed(st.hi)})`;
    return text + (clearRegions(k, 'change')[i] ? '.' : targetRegions().has(i) ? ': it cannot be told from chance.'
      : ': with every region tested together it cannot be told from chance.');
  }
  const d = s[k].pop[i] - b[k].pop[i];
  const points = s[0].pop[i] > 0 ? (100 * d) / s[0].pop[i] : NaN;
  const which = reps > 1 ? `In the first of ${reps} paired runs (their mean follows)` : 'In this paired run';
  return `${which} the baseline has ${fmtInt(b[k].pop[i])} residents and the scenario ` +
    (d === 0 ? 'as many' : `${fmtInt(Math.abs(d))} ${d > 0 ? 'more' : 'fewer'}` + (Number.isFinite(points) ? `: ${signed(points)} points of growth since ${xs[0]}` : '')) +
    '.' + (few ? fewText() : reps === 1 ? ' One paired run cannot tell this from chance.' : '');
}

// simulated is region r's simulated persons at the start of the run.
function simulated(r) { return state.frames.scenario[0].pop[r] * state.run.scale; }

// scaleAdvice says, of regions too small in the sample to show a
// difference (fewer than MIN_SAMPLED simulated persons), what scale would
// make them large enough, if this server allows it, or else what to do
// instead; '' when none is too small.
function scaleAdvice(regions) {
  const small = regions.filter(r => tooFew(r));
  if (!small.length || !state.run) return '';
  const info = worldInfo(state.run.world);
  const { need, least } = scaleNeed(small);
  if (need <= info.maxScale) {
    const times = need / state.run.scale;
    return ` Scale ${need} would give ${small.length > 1 ? 'each of them' : 'it'} ${MIN_SAMPLED} or more (this server allows up to ${info.maxScale}; a run takes about ${fmt(times, times < 3 ? 1 : 0)} times as long)` +
      (state.run.world === 'teaching' ? '.' : ', or use the teaching world, where every region is large enough at half scale.');
  }
  return ` Even this server's largest scale, ${info.maxScale}, would give ${small.length > 1 ? 'the smallest' : 'it'} only ${fmtInt(least * info.maxScale)}: ` +
    (state.run.world === 'teaching' ? 'compare with settle compare at scale 1.' : 'use the teaching world, or compare with settle compare at scale 1 (or settle serve --max-persons allows more).');
}

// scaleNeed is the scale at which every one of regions has MIN_SAMPLED
// simulated persons, and the population of the smallest.
function scaleNeed(regions) {
  const f = state.frames.scenario[0];
  const least = Math.min(...regions.map(r => f.pop[r]));
  // 2 % above the bare need: a run's start population at another scale
  // differs a little from this one's.
  return { need: roundUp(1.02 * MIN_SAMPLED / least), least };
}

// targetAdvice is the difference map's note when the interventions'
// target regions are too small in the sample to show a difference there:
// which, and the scale that would make them large enough (a button sets
// it), or what to do instead. null when none is.
function targetAdvice() {
  const targets = [...targetRegions()];
  const small = targets.filter(r => tooFew(r));
  if (!small.length) return null;
  const names = small.map(r => state.map.regions[r].name).join(', '); // named when at most 3
  const p = document.createElement('p');
  p.className = 'note advice';
  p.id = 'target-advice';
  const { need, least } = scaleNeed(small);
  const max = worldInfo(state.run.world).maxScale, sc = state.run.scale;
  const teachingToo = state.run.world === 'teaching' ? '' : ', or use the teaching world';
  const who = small.length === 1 && targets.length === 1
    ? `${names}, the target, has only ${fmtInt(least * sc)} simulated persons at scale ${sc}, too few to show a difference (${MIN_SAMPLED} needed)`
    : (small.length === targets.length ? `${targets.length === 2 ? 'Both' : 'All ' + targets.length} targets` : `${small.length} of the ${targets.length} targets`) +
      (small.length <= 3 ? ` (${names})` : '') + ` have under ${MIN_SAMPLED} simulated persons at scale ${sc} (the smallest ${fmtInt(least * sc)}), too few to show a difference`;
  // The scale that makes them all large enough; beyond the server's
  // limit (the many small municipalities of a county), its largest, if that
  // makes some of them large enough.
  const f = state.frames.scenario[0];
  const atMax = small.filter(r => f.pop[r] * max >= 1.02 * MIN_SAMPLED).length;
  const use = need <= max ? need : atMax > 0 ? max : null;
  const longer = x => `about ${fmt(x / sc, x / sc < 3 ? 1 : 0)} times as long`;
  p.textContent = nb(who + ': ' + (need <= max ? `run at scale ${need} (${longer(need)})${teachingToo}.`
    : atMax > 0 ? `at ${max}, this server's largest scale, ${atMax} would have enough (${longer(max)}); or use ${state.run.world === 'teaching' ? '' : 'the teaching world, or '}settle compare at scale 1.`
      : `even this server's largest scale, ${max}, is too small${teachingToo}, or compare at scale 1 with settle compare.`));
  if (use !== null && $('world').value === state.run.world) {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = 'use-scale';
    b.textContent = `Use scale ${use}`;
    b.addEventListener('click', () => {
      $('scale').value = use;
      scaleHelp();
      setStatus(`Scale set to ${use}: press Run to compare again.`);
      $('run').focus();
    });
    p.append(' ', b);
  }
  return p;
}

// roundUp rounds x up to two significant digits: 0.0877 is 0.088.
function roundUp(x) {
  const p = Math.pow(10, Math.floor(Math.log10(x)) - 1);
  return +(Math.ceil(x / p - 1e-9) * p).toPrecision(2);
}

// ---------- teaching ----------

function teachingIntro() {
  return 'Each step is one year. Press Run: every person in the model gets a year older, some are born, some die, some study, find work and move. The colours show how each region changes.';
}

// explain writes the yearly sentence under the map. Where the map leaves
// it too little room (app.css) it scrolls: each year starts at its top,
// and the box is then a Tab stop, so that a keyboard scrolls it too.
function explain() {
  const box = $('explain');
  sentence(box, yearSentence());
  box.scrollTop = 0;
  requestAnimationFrame(() => scrollCue(box));
}

// scrollCue makes a box of text that gives way to the map (the yearly
// sentence, the legend's notes) a Tab stop while it scrolls, so that a
// keyboard scrolls it too, and fades its last visible line while more of
// it is below (app.css .more).
function scrollCue(box) {
  if (box.scrollHeight > box.clientHeight + 1) box.tabIndex = 0;
  else box.removeAttribute('tabindex');
  box.classList.toggle('more', box.scrollTop + box.clientHeight < box.scrollHeight - 1);
}

function sentence(box, text) {
  if (box.textContent !== text) box.textContent = text;
}

// yearSentence is what happened in the year shown, in words.
function yearSentence() {
  const i = state.shown, s = state.frames.scenario;
  if (i <= 0 || !state.run) return document.body.classList.contains('teaching') ? teachingIntro() : '';
  const f = s[i], year = state.run.startYear + i;
  const motives = state.config.motives.map((m, k) => [MOTIVE_WHY[m] || m, f.motives[k]]).sort((a, b) => b[1] - a[1]);
  const tot = f.moves || 1;
  let best = -1, worst = -1, bv = -Infinity, wv = Infinity;
  for (let r = 0; r < f.pop.length; r++) {
    // With few simulated persons a region's change is mostly chance.
    if (s[i - 1].pop[r] * state.run.scale < MIN_SAMPLED) continue;
    const c = (f.pop[r] - s[i - 1].pop[r]) / s[i - 1].pop[r];
    if (c > bv) { bv = c; best = r; }
    if (c < wv) { wv = c; worst = r; }
  }
  let peak = 0; // up to 90: the few oldest are too few for a rate
  f.moveRate.slice(0, 91).forEach((v, a) => { if (v > f.moveRate[peak]) peak = a; });
  const name = r => state.map.regions[r].name;
  // The interventions that start (or end) in this year's tick.
  const news = [];
  for (const iv of state.run.interventions || []) {
    const what = `${iv.name || kindLabel(iv.kind)}`;
    if (iv.fromYear === year - 1) news.push(`${what} starts.`);
    if (iv.toYear && iv.toYear === year - 2) news.push(`${what} has ended.`);
  }
  const parts = [
    `${year - 1} → ${year}${state.run.compare ? ' in the scenario' : ''}:`, ...news,
    // The country as a whole: most of the map may shrink while the
    // population grows (the cities hold most people on little land).
    `The country has ${fmtInt(f.population)} people (${signed((100 * (f.population - s[0].population)) / s[0].population)} % since ${state.run.startYear}).`,
    `${fmtInt(f.births)} babies were born and ${fmtInt(f.deaths)} people died.`,
    `${fmtInt(f.moves)} people moved to another region, most often ${motives[0][0]} (${fmt((100 * motives[0][1]) / tot)} %) and ${motives[1][0]} (${fmt((100 * motives[1][1]) / tot)} %).`,
    `Those aged ${peak} moved most: ${fmt(f.moveRate[peak])} in 1000.`,
  ];
  if (best >= 0) parts.push(`${name(best)} grew most (${signed(100 * bv)} %), ${name(worst)} shrank most (${signed(100 * wv)} %).`);
  parts.push(`${fmtInt(f.immigrants)} came from abroad and ${fmtInt(f.emigrants)} left the country.`);
  return nb(parts.join(' '));
}

// teachingMode switches the large text, the slower animation and the
// yearly sentence on or off. It changes the world only when the form is on
// another one: a scenario of the teaching world (holmoy-bridge.toml at
// scale 1 for 35 years) keeps its scale, years and interventions, and the
// map keeps the result it shows. Another world's scenario cannot run in the
// teaching world: switching starts a new one at the classroom defaults, and
// setWorld says what that removed.
async function teachingMode() {
  const on = $('teaching').checked;
  document.body.classList.toggle('teaching', on);
  document.documentElement.classList.toggle('teaching', on); // the rem of teaching mode
  for (const n of document.querySelectorAll('.advanced')) n.hidden = on;
  if (on && state.world !== 'teaching' && state.config.worlds.some(w => w.name === 'teaching')) {
    stop();
    await setWorld('teaching', true);
  }
  // The text size changed: the labels, the legend and the charts follow.
  if (state.shown >= 0) show(state.shown);
  else { explain(); placeLabels(); }
}

init();
