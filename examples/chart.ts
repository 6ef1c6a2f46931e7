// A small SVG line chart for training curves: panels stacked over one shared x axis (steps), each
// with its own y axis (linear or log), "nice" ticks, a grid, a legend and optional dots; labelled
// bands of x (epochs) run through every panel. No DOM and no dependencies: it returns text.

export interface Series {
  label: string;
  x: readonly number[];
  y: readonly number[];
  color: string;
  /** Stroke width (default 1.5); 0 draws only the dots. */
  width?: number;
  opacity?: number;
  /** Radius of a dot at every point (default none). */
  dots?: number;
}

export interface Panel {
  yLabel: string;
  series: readonly Series[];
  /** A log10 y axis (values ≤ 0 are left out). */
  logY?: boolean;
}

export interface ChartOptions {
  title: string;
  subtitle?: string;
  xLabel: string;
  panels: readonly Panel[];
  /** Spans of x (epochs), labelled above the first panel and parted by dashed lines. */
  bands?: readonly { from: number; to: number; label: string }[];
  width?: number;
  panelHeight?: number;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const MARGIN = { left: 78, right: 24, top: 64, bottom: 52, gap: 34 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A coordinate with at most two decimals. */
function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A tick label: 0.002 → "0.002", 2.5e-5 → "2.5e-5", 1250 → "1250". */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(v)));
  if (exponent < -4 || exponent > 5) {
    const mantissa = Number((v / 10 ** exponent).toPrecision(3));
    return `${mantissa}e${exponent}`;
  }
  return String(Number(v.toPrecision(6)));
}

/** About `count` round ticks (1, 2 or 5 × 10^k apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) as number;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Ticks at 1, 2, 5 × 10^k (only powers of ten when the range spans more than two decades). */
function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const mantissas = hi - lo > 2 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; ++e) {
    for (const m of mantissas) {
      const t = Number((m * 10 ** e).toPrecision(12));
      if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks;
}

interface Axis {
  ticks: number[];
  map(v: number): number;
}

function linearAxis(min: number, max: number, from: number, to: number, count: number): Axis {
  let ticks = niceTicks(min, max, count);
  if (ticks.length < 2) ticks = [min - 1, min + 1];
  const lo = Math.min(min, ticks[0]);
  const hi = Math.max(max, ticks[ticks.length - 1]);
  return { ticks, map: (v) => from + ((v - lo) / (hi - lo)) * (to - from) };
}

function logAxis(min: number, max: number, from: number, to: number): Axis {
  const lo = Math.log10(min);
  const hi = max > min ? Math.log10(max) : lo + 1;
  return { ticks: logTicks(min, max), map: (v) => from + ((Math.log10(v) - lo) / (hi - lo)) * (to - from) };
}

function extent(values: number[]): [number, number] {
  return values.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
}

/** The chart as an SVG document. */
export function lineChart(options: ChartOptions): string {
  const { title, subtitle, xLabel, panels, bands = [], width = 880, panelHeight = 250 } = options;
  if (panels.length === 0) throw new RangeError('lineChart needs at least one panel');
  const height = MARGIN.top + panels.length * panelHeight + (panels.length - 1) * MARGIN.gap + MARGIN.bottom;
  const [left, right] = [MARGIN.left, width - MARGIN.right];
  const allX = panels.flatMap((p) => p.series.flatMap((s) => [...s.x]));
  const [xMin, xMax] = extent(allX.length > 0 ? [0, ...allX] : [0, 1]);
  const xAxis = linearAxis(xMin, xMax, left, right, 8);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="26" font-size="18" font-weight="600" fill="#111">${escapeXml(title)}</text>`,
  ];
  if (subtitle) out.push(`<text x="${left}" y="45" font-size="12" fill="#555">${escapeXml(subtitle)}</text>`);

  panels.forEach((panel, index) => {
    const top = MARGIN.top + index * (panelHeight + MARGIN.gap);
    const bottom = top + panelHeight;
    const points = panel.series.map((s) =>
      s.x.map((x, i) => [x, s.y[i]] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!panel.logY || y > 0)),
    );
    const ys = points.flatMap((ps) => ps.map(([, y]) => y));
    let [yMin, yMax] = extent(ys.length > 0 ? ys : [0, 1]);
    if (!panel.logY) [yMin, yMax] = [Math.min(0, yMin), yMax === yMin ? yMin + 1 : yMax];
    const yAxis = panel.logY ? logAxis(yMin, yMax, bottom, top) : linearAxis(yMin, yMax, bottom, top, 5);

    out.push(`<g class="panel">`);
    out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${panelHeight}" fill="#fafafa" stroke="#d0d0d0"/>`);
    for (const t of yAxis.ticks) {
      const y = fmt(yAxis.map(t));
      out.push(`<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
      out.push(`<line x1="${left - 5}" x2="${left}" y1="${y}" y2="${y}" stroke="#444"/>`);
      out.push(
        `<text x="${left - 8}" y="${y}" font-size="11" fill="#333" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`,
      );
    }
    for (const t of xAxis.ticks) {
      const x = fmt(xAxis.map(t));
      out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${bottom}" stroke="#eeeeee"/>`);
      out.push(`<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 5}" stroke="#444"/>`);
      if (index === panels.length - 1)
        out.push(`<text x="${x}" y="${bottom + 18}" font-size="11" fill="#333" text-anchor="middle">${formatTick(t)}</text>`);
    }
    bands.forEach((band, i) => {
      const [x0, x1] = [xAxis.map(band.from), xAxis.map(band.to)];
      if (i < bands.length - 1)
        out.push(`<line x1="${fmt(x1)}" x2="${fmt(x1)}" y1="${top}" y2="${bottom}" stroke="#9a9a9a" stroke-dasharray="3 4"/>`);
      // The whole label where it fits, else its last word (the epoch number), else nothing.
      const label = x1 - x0 >= band.label.length * 6 + 6 ? band.label : x1 - x0 >= 16 ? (band.label.split(' ').pop() as string) : '';
      if (index === 0 && label)
        out.push(
          `<text x="${fmt((x0 + x1) / 2)}" y="${top - 5}" font-size="10" fill="#777" text-anchor="middle">${escapeXml(label)}</text>`,
        );
    });
    const middle = fmt((top + bottom) / 2);
    out.push(
      `<text transform="translate(18 ${middle}) rotate(-90)" font-size="13" fill="#222" text-anchor="middle">${escapeXml(panel.yLabel)}${panel.logY ? ' (log scale)' : ''}</text>`,
    );

    panel.series.forEach((s, i) => {
      const ps = points[i].map(([x, y]) => `${fmt(xAxis.map(x))},${fmt(yAxis.map(y))}`);
      const opacity = s.opacity === undefined ? '' : ` opacity="${s.opacity}"`;
      const width = s.width ?? 1.5;
      if (width > 0 && ps.length > 1) {
        out.push(
          `<polyline points="${ps.join(' ')}" fill="none" stroke="${s.color}" stroke-width="${width}" stroke-linejoin="round"${opacity}/>`,
        );
      }
      if (s.dots)
        for (const p of ps) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="${s.dots}" fill="${s.color}"${opacity}/>`);
    });

    // Legend, top right inside the panel.
    const rowHeight = 16;
    const legendWidth = 14 + Math.max(...panel.series.map((s) => s.label.length)) * 6.4 + 30;
    const lx = right - legendWidth - 8;
    out.push(
      `<rect x="${fmt(lx)}" y="${top + 8}" width="${fmt(legendWidth)}" height="${panel.series.length * rowHeight + 8}" fill="#ffffff" fill-opacity="0.85" stroke="#d0d0d0"/>`,
    );
    panel.series.forEach((s, i) => {
      const y = top + 20 + i * rowHeight;
      const swatch =
        (s.width ?? 1.5) > 0
          ? `<line x1="${fmt(lx + 8)}" x2="${fmt(lx + 30)}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="${Math.max(2, s.width ?? 1.5)}"/>`
          : `<circle cx="${fmt(lx + 19)}" cy="${y}" r="${s.dots ?? 3}" fill="${s.color}"/>`;
      out.push(swatch);
      out.push(`<text x="${fmt(lx + 36)}" y="${y}" font-size="11" fill="#222" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
    });
    out.push(`</g>`);
  });

  out.push(
    `<text x="${fmt((left + right) / 2)}" y="${height - 12}" font-size="13" fill="#222" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  );
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
