// Statistics for the difference map: Student's t p-values and the
// Benjamini–Hochberg procedure, as sim/compare uses them for settle
// compare's maps (Result.ClearRegions).

// lgamma is log Γ(z) (Lanczos, g = 7; about 15 digits).
function lgamma(z) {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lgamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

// betacf is the continued fraction of the incomplete beta function
// (Numerical Recipes, 6.4, modified Lentz).
function betacf(a, b, x) {
  const tiny = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 3e-15) break;
  }
  return h;
}

// ibeta is the regularised incomplete beta function I_x(a, b).
function ibeta(x, a, b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const bt = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (bt * betacf(a, b, x)) / a : 1 - (bt * betacf(b, a, 1 - x)) / b;
}

// tPValue is the two-sided p-value of Student's t with df degrees of
// freedom: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2).
export function tPValue(t, df) {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return ibeta(df / (df + t * t), df / 2, 0.5);
}

// benjaminiHochberg marks the hypotheses rejected at false discovery rate
// q (Benjamini and Hochberg, 1995): with the p-values in ascending order,
// the first k, k the largest rank whose p-value is at most k/m·q. A NaN
// counts as 1.
export function benjaminiHochberg(p, q) {
  const m = p.length;
  const pv = i => (Number.isNaN(p[i]) ? 1 : p[i]);
  const order = p.map((_, i) => i).sort((a, b) => pv(a) - pv(b) || a - b);
  let k = 0;
  order.forEach((i, rank) => { if (pv(i) <= ((rank + 1) / m) * q) k = rank + 1; });
  const out = new Array(m).fill(false);
  for (const i of order.slice(0, k)) out[i] = true;
  return out;
}
