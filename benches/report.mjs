// The performance page's collector: reads what one `make bench-browser` run printed, writes
// README's performance section (between `<!-- perf:begin -->` and `<!-- perf:end -->`) and
// benches/results.json, which the next run shows as "previous" with ratios.
//
//   node benches/report.mjs <bench output dir> [README.md] [benches/results.json]
//
// Inputs, all from the output directory the Makefile fills:
// - every `bench-result: {json}` line in its *.txt files (format in /work/conventions.md:
//   name, value, unit, label, and optionally goal, raw_indexeddb, note), wherever on the line
//   the runner put it;
// - `bench-failed: <what> exit <code>` lines the Makefile writes when a bench fails, so the
//   page says which bench left its figures "not measured";
// - `started`: the run's start (Unix seconds); criterion estimates older than it are ignored,
//   so a figure is never taken from an earlier run; `load`: the load average at the start;
// - criterion's own estimates of the native `log` bench (target/criterion/<group>/100B_x100/
//   new/estimates.json), when that bench ran in this run.
// The page lists every figure of the goal table (missing ones as "not measured"), the core
// bench's wasm/native ratios, and every other figure the benches printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';


const BEGIN = '<!-- perf:begin -->';
const END = '<!-- perf:end -->';

// ---- formatting ----------------------------------------------------------------------------

const thousands = (v, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A figure in its unit, rounded the way the README writes it. */
export function formatValue(v, unit) {
  if (!Number.isFinite(v)) return 'n/a';
  switch (unit) {
    case 'B': return `${thousands(v)} B`;
    case 'ms': return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${thousands(v)} ms` : `${v.toFixed(2)} ms`;
    case 'MB': return `${v.toFixed(1)} MB`;
    case 'rec/s': return v >= 1e6 ? `${(v / 1e6).toFixed(1)} M rec/s` : v >= 1e3 ? `${thousands(v / 1e3)} k rec/s` : `${thousands(v)} rec/s`;
    case 'MB/s': return v >= 1000 ? `${(v / 1000).toFixed(2)} GB/s` : `${thousands(v)} MB/s`;
    case 'ratio': return v.toFixed(2);
    case '×': return times(v);
    case 'frames': return `${Number.isInteger(v) ? v : v.toFixed(1)} frames`;
    default: return `${v} ${unit}`;
  }
}

export const times = (q) => `${q.toFixed(2)}×`;
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : undefined);
/** Text for a Markdown table cell. */
export const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

// ---- reading -------------------------------------------------------------------------------

/** Every bench-result in the directory's *.txt files, by name (a later line wins), and every
 * failure: the Makefile's bench-failed lines and any malformed bench-result line. */
export function readOutputs(dir) {
  const results = new Map();
  const failures = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort() : [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const line of text.split('\n')) {
      const failed = line.match(/bench-failed: (.*)$/);
      if (failed) failures.push(failed[1].trim());
      const at = line.indexOf('bench-result: ');
      if (at < 0) continue;
      const json = line.slice(at + 'bench-result: '.length).trim();
      // A malformed line is reported on the page, not fatal: the run's other figures still show.
      let r;
      try {
        r = JSON.parse(json);
      } catch (e) {
        failures.push(`${file}: a bench-result line is not JSON (${e.message})`);
        continue;
      }
      const missing = ['name', 'value', 'unit', 'label'].filter((field) => r[field] === undefined);
      if (missing.length) {
        failures.push(`${file}: a bench-result line has no ${missing.join(', ')}`);
        continue;
      }
      if (typeof r.value !== 'number' || !Number.isFinite(r.value)) {
        failures.push(`${file}: bench-result ${r.name} has value ${JSON.stringify(r.value)}, not a finite number`);
        continue;
      }
      results.set(r.name, { ...r, source: file });
    }
  }
  return { results, failures };
}

/** The native `log` bench's append and fetch+decode of 100 B × 100, from criterion's
 * estimates, when they were written by this run (10,000 records per iteration). */
export function readCriterion(criterionDir, startedSec, results) {
  const figures = [
    ['append', 'criterion_append_100x100_native', 'append 100 B × 100, 10,000 records into a fresh log (native criterion `log` bench)'],
    ['fetch_and_decode', 'criterion_fetch_decode_100x100_native', 'fetch + decode 100 B × 100, 1 MiB fetches over 10,000 records (native criterion `log` bench)'],
  ];
  for (const [group, name, label] of figures) {
    const file = path.join(criterionDir, group, '100B_x100', 'new', 'estimates.json');
    if (!fs.existsSync(file) || fs.statSync(file).mtimeMs / 1000 < startedSec) continue;
    const estimates = JSON.parse(fs.readFileSync(file, 'utf8'));
    const ns = estimates.median.point_estimate;
    const [lo, hi] = [estimates.median.confidence_interval.lower_bound, estimates.median.confidence_interval.upper_bound];
    results.set(name, {
      name, label, unit: 'rec/s', value: 10_000 / ns * 1e9, source: 'criterion',
      note: `median ${(ns / 1e3).toFixed(0)} µs per 10,000 records (95 % CI ${(lo / 1e3).toFixed(0)}–${(hi / 1e3).toFixed(0)} µs)`,
    });
  }
}

/** Date and machine: what the page says the figures were measured on. */
export function machine(startedSec, startLoad) {
  let chromium = 'Chromium (version unknown)';
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim().replace(/ built on .*/, '');
  } catch { /* the page says "unknown" rather than failing the report */ }
  let rustc = 'rustc (version unknown)';
  try {
    rustc = execFileSync('rustc', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* as above */ }
  const cpus = os.cpus();
  return {
    date: new Date((startedSec || Date.now() / 1000) * 1000).toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace('T', ' '),
    chromium,
    rustc,
    cores: cpus.length,
    cpu: cpus[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU',
    load: os.loadavg()[0].toFixed(1),
    startLoad,
  };
}

// ---- the goal table -------------------------------------------------------------------------

// The issue's figures, in its order. `names` are looked up exactly (the first there wins);
// `ok` says whether the goal is met.
const KB = 1000;
export const GOALS = [
  { figure: 'wasm shipped, gzip -9 (`dist/*.wasm`)', goal: '≤ 400 KB gzip for the first page', names: ['wasm_gzip_bytes'], ok: (v) => v <= 400 * KB },
  { figure: 'wasm shipped, raw', goal: '—', names: ['wasm_raw_bytes'] },
  { figure: '1 M sample orders generated and stored', goal: '≤ 2 s', names: ['sample_1m_orders_ms'], ok: (v) => v <= 2000 },
  { figure: 'frame delays during it: the longest', goal: 'no frame delayed > 50 ms', names: ['sample_1m_frame_delay_max_ms'], ok: (v) => v <= 50 },
  { figure: 'frame delays during it: frames delayed > 50 ms', goal: '0', names: ['sample_1m_frames_over_50ms'], ok: (v) => v === 0 },
  { figure: 'wasm memory holding a 1 M-record playground: after producing and storing it', goal: '≤ 64 MB', names: ['memory_1m_after_produce_mb'], ok: (v) => v <= 64 },
  { figure: 'wasm memory holding a 1 M-record playground: after reopening it', goal: '≤ 64 MB', names: ['memory_1m_after_reload_mb'], ok: (v) => v <= 64 },
  { figure: 'wasm memory holding a 1 M-record playground: after reading it all from offset 0', goal: '≤ 64 MB', names: ['memory_1m_read_from_start_mb'], ok: (v) => v <= 64 },
  { figure: 'wasm memory holding a 1 M-record playground: the page, after 1 M sample orders (storage badge)', goal: '≤ 64 MB', names: ['memory_1m_sample_page_mb'], ok: (v) => v <= 64 },
  { figure: 'reload of 1 M records to the lanes (the release page)', goal: '≤ 300 ms', names: ['reload_1m_to_lanes_ms'], ok: (v) => v <= 300 },
  { figure: 'reopen of 1 M records until the broker serves (its storage part)', goal: '—', names: ['reload_1m_ready_ms', 'storage_reload_1m_ready_ms'] },
  { figure: 'a group of 2 on the groups page draining 100 k records', goal: 'seconds', names: ['group_of_2_drain_100k_ms'], ok: (v) => v < 60_000 },
  { figure: 'core bench: append 100 B × 100, wasm in Chromium / native', goal: '≤ 1.5×', core: 'append_100x100', ok: (v) => v <= 1.5 },
  { figure: 'core bench: fetch + decode 100 B × 100, wasm in Chromium / native', goal: '≤ 1.5×', core: 'fetch_decode_100x100', ok: (v) => v <= 1.5 },
  ...[['100B', '100 B'], ['1KB', '1 KB']].flatMap(([size, shown]) => ['relaxed', 'strict'].map((durability) => [`${size}_${durability}`, `${shown} values, ${durability}`]))
    .map(([row, shown]) => ({
    figure: `persisted produce vs raw IndexedDB put, ${shown}`,
    goal: 'ratio ≥ 0.8',
    names: [`produce_${row}`],
    raw: true,
    ok: (v) => v >= 0.8,
  })),
];

/** The figure a goal row shows, with what it is compared to; undefined when not measured.
 * `value` is what the goal speaks of: the figure, or the wasm/native time ratio, or the
 * persisted/raw rate ratio. */
export function goalFigure(row, results, used) {
  if (row.core) {
    const wasm = results.get(`core_${row.core}_wasm`);
    const native = results.get(`core_${row.core}_native`);
    if (!wasm || !native) return undefined;
    const z = results.get(`core_${row.core}_wasm_z`);
    // Rates: wasm takes native/wasm times as long.
    const shipped = z ? `; at the shipped "z": ${times(native.value / z.value)}` : '';
    return { value: native.value / wasm.value, unit: '×', shown: `${formatValue(wasm.value, 'rec/s')} vs ${formatValue(native.value, 'rec/s')}${shipped}`, key: `core_${row.core}_ratio` };
  }
  const r = row.names.map((n) => results.get(n)).find(Boolean);
  if (!r) return undefined;
  used.add(r.name);
  if (row.raw) {
    if (typeof r.raw_indexeddb !== 'number') return undefined;
    const q = r.value / r.raw_indexeddb;
    return { value: q, unit: 'ratio', shown: `${q.toFixed(2)} (${formatValue(r.value, r.unit)} vs ${formatValue(r.raw_indexeddb, r.unit)} raw)`, key: r.name, result: r };
  }
  return { value: r.value, unit: r.unit, shown: formatValue(r.value, r.unit), key: r.name, result: r };
}

// ---- the page ------------------------------------------------------------------------------

function previousCell(key, value, previous, lowerIsBetter) {
  const p = previous?.figures?.[key];
  if (p === undefined) return '—';
  const q = ratio(value, p.value);
  const better = q === undefined ? '' : (lowerIsBetter ? q < 1 : q > 1) ? ' better' : q === 1 ? '' : ' worse';
  return `${formatValue(p.value, p.unit)} (${q === undefined ? 'n/a' : times(q)}${Math.abs((q ?? 1) - 1) < 0.005 ? '' : better})`;
}

/** A core bench figure's name: the workload, then the side. */
const CORE = /^core_(.+)_(native|wasm|wasm_z)$/;

const LOWER_IS_BETTER = new Set(['ms', 'MB', 'B', 'frames', '×']);
/** Whether a smaller figure is the better one: times, sizes, delayed frames, ratios of time; but
 * not rates, persisted/raw ratios, or frames a second. */
const lowerIsBetter = (r) => LOWER_IS_BETTER.has(r.unit) && !/_fps$/.test(r.name);

/** The generated section's Markdown and the figures to store for the next run. */
export function render({ results, failures, previous, env }) {
  const used = new Set();
  const figures = {};
  const lines = [];
  lines.push(BEGIN);
  lines.push('<!-- Generated by `make bench-browser` (benches/report.mjs); edits here are overwritten. -->');
  lines.push('');
  lines.push(`Measured ${env.date} on ${env.cores} cores (${esc(env.cpu)}, load average ${env.startLoad ? `${env.startLoad} at the start of the run, ` : ''}${env.load} when the report was written), ${env.chromium} headless, ${env.rustc}.` +
    (previous ? ` "Previous" is the run of ${previous.date}; its ratio is now / previous.` : ' No previous run was recorded.'));
  lines.push('');
  lines.push('| figure | goal | now | met | raw IndexedDB / wasm ÷ native | previous (now / previous) |');
  lines.push('|---|---|---|---|---|---|');
  for (const row of GOALS) {
    const f = goalFigure(row, results, used);
    if (!f) {
      const before = previous?.figures?.[row.core ? `core_${row.core}_ratio` : row.names[0]];
      lines.push(`| ${row.figure} | ${row.goal} | not measured | — | — | ${before ? formatValue(before.value, before.unit) : '—'} |`);
      continue;
    }
    figures[f.key] = { value: f.value, unit: f.unit };
    const met = row.ok ? (row.ok(f.value) ? 'yes' : '**no**') : '—';
    const lower = f.unit === 'ratio' ? false : LOWER_IS_BETTER.has(f.unit);
    const compared = row.core || row.raw ? f.shown : (f.result?.raw_indexeddb !== undefined ? `${formatValue(f.result.raw_indexeddb, f.result.unit)} raw (${times(f.result.value / f.result.raw_indexeddb)})` : '—');
    const now = row.core || row.raw ? `**${row.raw ? f.value.toFixed(2) : times(f.value)}**` : `**${f.shown}**`;
    lines.push(`| ${row.figure} | ${row.goal} | ${now} | ${met} | ${compared} | ${previousCell(f.key, f.value, previous, lower)} |`);
  }
  lines.push('');

  // The core bench, both sides and the breakdown.
  const coreIds = [...new Set([...results.keys()].map((n) => n.match(CORE)?.[1]).filter(Boolean))];
  if (coreIds.length) {
    lines.push('The core bench, both sides (the same body, `benches/core_bench/`; wasm ÷ native is how many times longer wasm takes: native rate ÷ wasm rate):');
    lines.push('');
    lines.push('| workload | native | wasm in Chromium | wasm ÷ native | previous wasm ÷ native | wasm at the shipped `opt-level = "z"` | z ÷ native |');
    lines.push('|---|---|---|---|---|---|---|');
    for (const id of coreIds) {
      const [n, w, z] = ['native', 'wasm', 'wasm_z'].map((side) => results.get(`core_${id}_${side}`));
      for (const r of [n, w, z]) if (r) { used.add(r.name); figures[r.name] = { value: r.value, unit: r.unit }; }
      const label = (w ?? n ?? z).label.replace(/ \((native|wasm in Chromium.*)\)$/, '');
      const q = n && w ? n.value / w.value : undefined;
      const qz = n && z ? n.value / z.value : undefined;
      if (q !== undefined) figures[`core_${id}_ratio`] = { value: q, unit: '×' };
      const cell = (r) => (r ? formatValue(r.value, r.unit) : 'not measured');
      lines.push(`| ${esc(label)} | ${cell(n)} | ${cell(w)} | ${q === undefined ? '—' : `**${times(q)}**`} | ${q === undefined ? '—' : previousCell(`core_${id}_ratio`, q, previous, true)} | ${cell(z)} | ${qz === undefined ? '—' : times(qz)} |`);
    }
    lines.push('');
  }

  // Everything else the benches printed, so no figure disappears.
  const rest = [...results.values()].filter((r) => !used.has(r.name));
  if (rest.length) {
    lines.push('Every other figure of the run:');
    lines.push('');
    lines.push('| figure | now | raw IndexedDB | previous (now / previous) | bench | note |');
    lines.push('|---|---|---|---|---|---|');
    for (const r of rest) {
      figures[r.name] = { value: r.value, unit: r.unit };
      const raw = typeof r.raw_indexeddb === 'number' ? `${formatValue(r.raw_indexeddb, r.unit)} (${times(r.value / r.raw_indexeddb)})` : '—';
      lines.push(`| ${esc(r.label)}${r.goal ? ` (goal ${esc(r.goal)})` : ''} | ${formatValue(r.value, r.unit)} | ${raw} | ${previousCell(r.name, r.value, previous, lowerIsBetter(r))} | ${r.source.replace(/\.txt$/, '')} | ${esc(r.note ?? '')} |`);
    }
    lines.push('');
  }
  if (failures.length) {
    lines.push(`What failed in this run (figures it did not produce show as "not measured"): ${failures.map(esc).join('; ')}.`);
    lines.push('');
  }
  lines.push(END);
  return { markdown: lines.join('\n'), figures };
}

/** Replaces the section between the markers (which must both be there, in order). */
export function spliceReadme(readme, section) {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) {
    throw new Error(`README has no "${BEGIN}" … "${END}" section: add both markers where the performance page goes`);
  }
  return readme.slice(0, begin) + section + readme.slice(end + END.length);
}

// ---- main ----------------------------------------------------------------------------------

function main([dir, readmePath = 'README.md', resultsPath = 'benches/results.json']) {
  if (!dir) {
    console.error('usage: node benches/report.mjs <bench output dir> [README.md] [benches/results.json]');
    process.exit(2);
  }
  const startedFile = path.join(dir, 'started');
  const started = fs.existsSync(startedFile) ? Number(fs.readFileSync(startedFile, 'utf8').trim()) : 0;
  const { results, failures } = readOutputs(dir);
  readCriterion(path.join('target', 'criterion'), started, results);
  const previous = fs.existsSync(resultsPath) ? JSON.parse(fs.readFileSync(resultsPath, 'utf8')) : undefined;
  const loadFile = path.join(dir, 'load');
  const startLoad = fs.existsSync(loadFile) ? Number(fs.readFileSync(loadFile, 'utf8').trim()).toFixed(1) : undefined;
  const env = machine(started, startLoad);
  const { markdown, figures } = render({ results, failures, previous, env });
  fs.writeFileSync(readmePath, spliceReadme(fs.readFileSync(readmePath, 'utf8'), markdown));
  fs.writeFileSync(resultsPath, `${JSON.stringify({ date: env.date, machine: env, figures }, null, 1)}\n`);
  console.log(`report: ${results.size} figures, ${failures.length} failures; wrote ${readmePath} and ${resultsPath}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
