// The Inspektorat's response-time dashboard in /oversight: charts drawn here as inline SVG (no
// library, nothing from another origin), each with the same figures as a text table beside it,
// values written on the bars so colour is never the only cue; a sortable kelurahan table; the
// drill-down unit → its missed deadlines → a complaint's trail; each view's CSV.
import { formatNumber, lang } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';

const S = {
  id: {
    heading: 'Waktu tanggapan', intro: 'Angka dari model baca waktu tanggapan; definisinya ada di dokumentasi. Periode bawaan: 90 hari terakhir.',
    from: 'Dari tanggal', to: 'Sampai tanggal', show: 'Tampilkan', loading: 'Memuat…', failed: 'Angka tidak dapat dimuat ({status}).',
    dist_heading: 'Tanggapan pertama per unit (hari kerja)', dist_note: 'Batang: nilai tengah; garis tipis sampai p90. Garis putus-putus pada tiap baris: batas tanggapan pertama unit itu. Batas diatur per kategori; bila kategori yang ditangani unit berbeda batasnya, ada dua garis: batas terpendek dan terpanjang.',
    miss_heading: 'Unit yang paling sering melewati batas tanggapan pertama', trend_heading: 'Batas waktu terlewati per minggu',
    kel_heading: 'Kelurahan', unit: 'Unit', median: 'Nilai tengah', p90: 'p90', stays: 'Penugasan', missed: 'Terlewati', within: 'Tepat waktu', week: 'Minggu mulai', count: 'Jumlah',
    kelurahan: 'Kelurahan', resolved: 'Selesai', res_median: 'Penyelesaian (nilai tengah, hari kerja)', rating: 'Penilaian', open: 'Terbuka', overdue: 'Terlambat sekarang',
    sort_by: 'Urutkan menurut {what}', csv: 'Unduh CSV', csv_unit: 'Unduh CSV batas terlewati: {unit}', csv_done: 'CSV diunduh.', deadline: 'Batas', deadline_range: '{min}–{max} hari kerja', legend: 'batas tanggapan pertama',
    drill_heading: 'Batas waktu terlewati: {unit}', drill_hint: 'Pilih unit pada daftar di atas untuk melihat pengaduannya.', breached_at: 'Terlewati pada', kind: 'Jenis', number: 'Nomor pengaduan', next: 'Lalu', open_trail: 'Buka jejak {number}',
    kind_first_response: 'tanggapan pertama', kind_resolution: 'penyelesaian', none: 'Tidak ada.', hidden_number: '(tersembunyi)', days: '{n} hari kerja', chart_dist: 'Grafik tanggapan pertama per unit', chart_miss: 'Grafik unit yang paling sering terlambat', chart_trend: 'Grafik batas waktu terlewati per minggu',
  },
  en: {
    heading: 'Response times', intro: 'Figures from the response-time read model; the definitions are in the documentation. Default period: the last 90 days.',
    from: 'From', to: 'To', show: 'Show', loading: 'Loading…', failed: 'The figures could not be loaded ({status}).',
    dist_heading: 'First response per unit (working days)', dist_note: 'Bar: median; thin line up to p90. Dashed line on each row: that unit\'s first-response deadline. Deadlines are set per category; where the categories a unit handled have different ones, two lines mark the shortest and the longest.',
    miss_heading: 'Units that miss first-response deadlines most', trend_heading: 'Missed deadlines per week',
    kel_heading: 'Kelurahan', unit: 'Unit', median: 'Median', p90: 'p90', stays: 'Assignments', missed: 'Missed', within: 'On time', week: 'Week of', count: 'Count',
    kelurahan: 'Kelurahan', resolved: 'Resolved', res_median: 'Resolution (median, working days)', rating: 'Rating', open: 'Open', overdue: 'Overdue now',
    sort_by: 'Sort by {what}', csv: 'Download CSV', csv_unit: 'Download CSV of missed deadlines: {unit}', csv_done: 'CSV downloaded.', deadline: 'Deadline', deadline_range: '{min}–{max} working days', legend: 'first-response deadline',
    drill_heading: 'Missed deadlines: {unit}', drill_hint: 'Pick a unit in the list above to see its complaints.', breached_at: 'Missed at', kind: 'Kind', number: 'Complaint', next: 'Then', open_trail: 'Open the trail of {number}',
    kind_first_response: 'first response', kind_resolution: 'resolution', none: 'None.', hidden_number: '(hidden)', days: '{n} working days', chart_dist: 'Chart of first response per unit', chart_miss: 'Chart of the units that miss most', chart_trend: 'Chart of missed deadlines per week',
  },
};

/** @param {keyof typeof S.id} key @param {Record<string, string | number>} [vars] */
function rt(key, vars = {}) {
  return S[lang()][key].replace(/\{(\w+)\}/g, (_, /** @type {string} */ n) => String(vars[n] ?? ''));
}

/**
 * An element with attributes and children (text or nodes).
 * @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} children
 * @returns {HTMLElement}
 */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/** @param {string} id @returns {any} */
const $ = (id) => document.getElementById(id);
const fmt = (/** @type {number | null | undefined} */ n, digits = 1) => (n === null || n === undefined ? '—' : formatNumber(n, digits));
const pct = (/** @type {number | null} */ n) => (n === null ? '—' : `${fmt(n * 100, 0)}%`);

/**
 * @typedef {{ authed: (path: string) => Promise<any>, bearer: () => Promise<string>, openTrail: (number: string) => void }} Host
 */
/** @type {Host | null} */
let host = null;
/** @type {any} */
const state = { units: [], kelurahan: [], breaches: [], sort: { key: 'breached_first_response', dir: -1 }, drill: null, drillItems: [] };

/** @param {string} name @param {Record<string, string | number>} attrs @param {(Node | string)[]} [children] */
function svg(name, attrs, children = []) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/**
 * Horizontal bars, one per row, the value written at the bar's end; an optional thin whisker to
 * `whisker`, and dashed ticks across the row at each of its `marks` (a deadline), named by `legend`
 * under the chart. Hidden from screen readers: the table beside it says the same.
 * @param {{ label: string, value: number, whisker?: number | null, marks?: number[] }[]} rows @param {{ legend?: string, title: string, unit?: (n: number) => string }} o
 */
function barChart(rows, o) {
  // Drawn at the width it is shown at (up to 720 px), so its 12 px text stays 12 px on a phone.
  const width = Math.round(Math.min(720, Math.max(280, $('rt-figures').clientWidth || 560)));
  const labelW = Math.round(Math.min(190, width * 0.36));
  const chars = Math.floor((labelW - 10) / 7.5);
  const rowH = 26;
  const height = rows.length * rowH + (o.legend ? 30 : 8);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.value, r.whisker ?? 0, ...(r.marks ?? [])))) * 1.1;
  const x = (/** @type {number} */ v) => labelW + (v / max) * (width - labelW - 60);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, class: 'chart', role: 'img', 'aria-label': o.title, focusable: 'false' });
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    const label = r.label.length > chars ? `${r.label.slice(0, chars - 1)}…` : r.label;
    root.append(svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, [label]));
    root.append(svg('rect', { x: labelW, y, width: Math.max(1, x(r.value) - labelW), height: rowH - 10, class: 'chart-bar' }));
    if (r.whisker !== undefined && r.whisker !== null && r.whisker > r.value) {
      root.append(svg('line', { x1: x(r.value), x2: x(r.whisker), y1: y + 8, y2: y + 8, class: 'chart-whisker' }));
      root.append(svg('line', { x1: x(r.whisker), x2: x(r.whisker), y1: y + 2, y2: y + 14, class: 'chart-whisker' }));
    }
    for (const m of r.marks ?? []) root.append(svg('line', { x1: x(m), x2: x(m), y1: y - 3, y2: y + rowH - 7, class: 'chart-line', 'data-deadline': m }));
    const end = Math.max(x(r.value), r.whisker ? x(r.whisker) : 0);
    root.append(svg('text', { x: end + 4, y: y + 15, class: 'chart-value' }, [o.unit ? o.unit(r.value) : fmt(r.value)]));
  });
  if (o.legend) {
    root.append(svg('line', { x1: labelW + 2, x2: labelW + 2, y1: height - 22, y2: height - 4, class: 'chart-line' }));
    root.append(svg('text', { x: labelW + 10, y: height - 8, class: 'chart-line-label' }, [o.legend]));
  }
  return root;
}

/**
 * A table of strings; `head` cells become column headers, and each cell's label when a phone shows
 * a row as a card. @param {string[]} head @param {(string | Node)[][]} rows @param {string} caption
 */
function textTable(head, rows, caption) {
  const table = h('table', { class: 'inbox rt-table' });
  const cap = h('caption', { class: 'visually-hidden' }, caption);
  const thead = h('thead');
  thead.append(h('tr', {}, ...head.map((title) => h('th', { scope: 'col' }, title))));
  const tbody = h('tbody');
  // A cell that already shows its column's words (a button named like the column) gets no card label.
  /** @type {(c: string | Node, i: number) => Record<string, string>} */
  const label = (c, i) => (typeof c !== 'string' && c.textContent === head[i] ? {} : { 'data-label': head[i] });
  for (const r of rows) tbody.append(h('tr', {}, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', label(c, i), c)))));
  table.append(cap, thead, tbody);
  return /** @type {HTMLTableElement} */ (table);
}

/** @param {string} id @param {Node} chart @param {HTMLTableElement} table */
function figure(id, chart, table) {
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': table.caption?.textContent ?? '' });
  wrap.append(table);
  $(id).replaceChildren(h('div', { class: 'rt-chart' }, chart), wrap);
}

function period() {
  const q = new URLSearchParams();
  const from = $('rt-from').value;
  const to = $('rt-to').value;
  if (from) q.set('from', new Date(`${from}T00:00:00+07:00`).toISOString());
  if (to) q.set('to', new Date(`${to}T23:59:59.999+07:00`).toISOString());
  return q;
}

/** @param {string} path */
async function get(path) {
  const result = await /** @type {Host} */ (host).authed(path);
  if (!result.ok) throw new Error(rt('failed', { status: result.status }));
  return result.data;
}

async function load() {
  $('rt-status').textContent = rt('loading');
  try {
    const p = period();
    const [units, kelurahan] = await Promise.all([
      get(`/api/v1/oversight/response-times?group_by=unit&sort=missed_first_response&limit=1000&${p}`),
      get(`/api/v1/oversight/response-times?group_by=kelurahan&limit=1000&${p}`),
    ]);
    /** @type {any[]} */
    const breaches = [];
    let before = '';
    for (let page = 0; page < 10; page++) {
      const answer = await get(`/api/v1/oversight/breaches?limit=1000&${p}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      breaches.push(...answer.items);
      if (!answer.next_before) break;
      before = answer.next_before;
    }
    Object.assign(state, { units: units.items, kelurahan: kelurahan.items, breaches });
    $('rt-status').textContent = '';
    $('rt-figures').hidden = false;
    render();
  } catch (error) {
    $('rt-status').textContent = error instanceof Error ? error.message : String(error);
  }
}

/** The Monday (WIB) of an instant's week, as YYYY-MM-DD. @param {string} iso */
function weekOf(iso) {
  const local = new Date(new Date(iso).getTime() + 7 * 3_600_000);
  const day = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - day * 86_400_000).toISOString().slice(0, 10);
}

function render() {
  const days = (/** @type {number} */ n) => rt('days', { n: fmt(n) });
  const answered = state.units.filter((/** @type {any} */ u) => u.first_response_median_working_days !== null);
  const slow = [...answered].sort((a, b) => b.first_response_median_working_days - a.first_response_median_working_days || b.first_response_p90_working_days - a.first_response_p90_working_days).slice(0, 12);
  figure('rt-dist',
    barChart(slow.map((/** @type {any} */ u) => ({ label: u.name ?? u.key, value: u.first_response_median_working_days, whisker: u.first_response_p90_working_days, marks: deadlines(u) })),
      { legend: rt('legend'), title: rt('chart_dist') }),
    textTable([rt('unit'), rt('median'), rt('p90'), rt('deadline'), rt('stays'), rt('within')],
      slow.map((/** @type {any} */ u) => [u.name ?? u.key, days(u.first_response_median_working_days), days(u.first_response_p90_working_days), deadlineText(u), fmt(u.stays, 0), pct(u.first_response_within_share)]), rt('dist_heading')));

  const missing = state.units.filter((/** @type {any} */ u) => u.breached_first_response > 0).slice(0, 10);
  figure('rt-miss',
    barChart(missing.map((/** @type {any} */ u) => ({ label: u.name ?? u.key, value: u.breached_first_response })), { title: rt('chart_miss'), unit: (n) => fmt(n, 0) }),
    textTable([rt('unit'), rt('missed'), rt('stays'), rt('within'), rt('csv')],
      missing.map((/** @type {any} */ u) => [
        withButton(u.name ?? u.key, () => drill(u.key, u.name ?? u.key)), fmt(u.breached_first_response, 0), fmt(u.stays, 0), pct(u.first_response_within_share),
        withLabh(withButton(rt('csv'), () => download(`/api/v1/oversight/breaches?unit=${encodeURIComponent(u.key)}&format=csv&${period()}`, `aduan-breaches-${u.key}.csv`)), rt('csv_unit', { unit: u.name ?? u.key })),
      ]), rt('miss_heading')));

  /** @type {Map<string, number>} */
  const weeks = new Map();
  for (const b of state.breaches) weeks.set(weekOf(b.breached_at), (weeks.get(weekOf(b.breached_at)) ?? 0) + 1);
  const trend = [...weeks].sort(([a], [b]) => a.localeCompare(b));
  figure('rt-trend',
    barChart(trend.map(([week, n]) => ({ label: week, value: n })), { title: rt('chart_trend'), unit: (n) => fmt(n, 0) }),
    textTable([rt('week'), rt('count')], trend.map(([week, n]) => [week, fmt(n, 0)]), rt('trend_heading')));
  renderKelurahan();
  renderDrill();
}

/** A unit's first-response deadlines in hari kerja: one, the shortest and longest, or none. @param {any} u @returns {number[]} */
function deadlines(u) {
  const [min, max] = [u.first_response_deadline_min_working_days, u.first_response_deadline_max_working_days];
  if (min === null || min === undefined) return [];
  return max !== null && max !== min ? [min, max] : [min];
}

/** @param {any} u */
function deadlineText(u) {
  const d = deadlines(u);
  if (d.length === 0) return '—';
  return d.length === 1 ? rt('days', { n: fmt(d[0]) }) : rt('deadline_range', { min: fmt(d[0]), max: fmt(d[1]) });
}

/** @param {string} text @param {() => void} action */
function withButton(text, action) {
  const button = h('button', { type: 'button', class: 'link-button' }, text);
  button.addEventListener('click', action);
  return button;
}

const KEL_COLUMNS = /** @type {const} */ ([
  ['name', 'kelurahan'], ['stays', 'stays'], ['first_response_median_working_days', 'median'], ['first_response_within_share', 'within'],
  ['breached_first_response', 'missed'], ['resolved', 'resolved'], ['resolution_median_working_days', 'res_median'], ['rating_mean', 'rating'],
  ['open_now', 'open'], ['overdue_now', 'overdue'],
]);

function renderKelurahan() {
  const { key, dir } = state.sort;
  const rows = [...state.kelurahan].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'string' ? x.localeCompare(y, 'id') : x - y) * dir;
  });
  const table = h('table', { class: 'data-table rt-table' });
  const head = h('tr');
  for (const [field, label] of KEL_COLUMNS) {
    const sorted = field === key;
    const th = h('th', { scope: 'col', 'aria-sort': sorted ? (dir > 0 ? 'ascending' : 'descending') : 'none' });
    const button = withButton(`${rt(label)}${sorted ? (dir > 0 ? ' ▲' : ' ▼') : ''}`, () => {
      state.sort = { key: field, dir: sorted ? -dir : field === 'name' ? 1 : -1 };
      renderKelurahan();
      /** @type {HTMLElement | null} */ (document.querySelector(`#rt-kel th[data-field="${field}"] button`))?.focus();
    });
    button.setAttribute('aria-label', rt('sort_by', { what: rt(label) }));
    th.dataset.field = field;
    th.append(button);
    head.append(th);
  }
  const body = h('tbody');
  for (const r of rows) {
    body.append(h('tr', {}, h('th', { scope: 'row' }, r.name ?? r.key), ...KEL_COLUMNS.slice(1).map(([field]) => h('td', {}, field.endsWith('share') ? pct(r[field]) : fmt(r[field], field.includes('working_days') || field === 'rating_mean' ? 1 : 0)))));
  }
  table.append(h('caption', { class: 'visually-hidden' }, rt('kel_heading')), h('thead', {}, head), body);
  $('rt-kel').replaceChildren(table);
}

/** @param {string} code @param {string} name */
async function drill(code, name) {
  state.drill = { code, name };
  try {
    state.drillItems = (await get(`/api/v1/oversight/breaches?unit=${encodeURIComponent(code)}&limit=200&${period()}`)).items;
  } catch (error) {
    state.drillItems = [];
    $('rt-status').textContent = error instanceof Error ? error.message : String(error);
  }
  renderDrill();
  $('rt-drill-heading').focus();
}

function renderDrill() {
  const d = state.drill;
  $('rt-drill-heading').textContent = d ? rt('drill_heading', { unit: d.name }) : rt('drill_hint');
  if (!d) return $('rt-drill').replaceChildren();
  const when = (/** @type {string} */ iso) => new Intl.DateTimeFormat(lang() === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(new Date(iso));
  const rows = state.drillItems.map((/** @type {any} */ b) => [
    when(b.breached_at), b.kind === 'resolution' ? rt('kind_resolution') : rt('kind_first_response'),
    b.tracking_number ? withLabh(withButton(b.tracking_number, () => host?.openTrail(b.tracking_number)), rt('open_trail', { number: b.tracking_number })) : rt('hidden_number'),
    b.next ?? '',
  ]);
  $('rt-drill').replaceChildren(rows.length ? textTable([rt('breached_at'), rt('kind'), rt('number'), rt('next')], rows, rt('drill_heading', { unit: d.name })) : h('p', {}, rt('none')));
}

/** @param {HTMLElement} node @param {string} label */
function withLabh(node, label) {
  node.setAttribute('aria-label', label);
  return node;
}

/** Downloads a CSV with the bearer token (a plain link cannot carry it). @param {string} url @param {string} name */
async function download(url, name) {
  try {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${await /** @type {Host} */ (host).bearer()}`, Accept: 'text/csv' }, credentials: 'omit', cache: 'no-store' });
    if (!response.ok) throw new Error(rt('failed', { status: response.status }));
    const href = URL.createObjectURL(await response.blob());
    const link = h('a', { href, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    $('rt-status').textContent = rt('csv_done');
  } catch (error) {
    $('rt-status').textContent = error instanceof Error ? error.message : String(error);
  }
}

/** Puts this module's texts into its [data-rt] elements. */
export function relabelResponseTimes() {
  for (const node of document.querySelectorAll('[data-rt]')) node.textContent = rt(/** @type {keyof typeof S.id} */ (/** @type {HTMLElement} */ (node).dataset.rt));
  $('rt-dist-note').textContent = rt('dist_note');
  if (state.units.length || state.kelurahan.length) render();
  else renderDrill();
}

/** Wires the section once an inspector is signed in. @param {Host} hostPage */
export function initResponseTimes(hostPage) {
  const first = host === null;
  host = hostPage;
  relabelResponseTimes();
  if (first) {
    let drawnAt = window.innerWidth;
    window.addEventListener('resize', () => {
      if (Math.abs(window.innerWidth - drawnAt) < 40 || !state.units.length) return;
      drawnAt = window.innerWidth;
      render();
    });
    $('rt-form').addEventListener('submit', (/** @type {Event} */ e) => {
      e.preventDefault();
      void load();
    });
    $('rt-csv-units').addEventListener('click', () => download(`/api/v1/oversight/response-times?group_by=unit&sort=missed_first_response&format=csv&${period()}`, 'aduan-response-times-units.csv'));
    $('rt-csv-kel').addEventListener('click', () => download(`/api/v1/oversight/response-times?group_by=kelurahan&format=csv&${period()}`, 'aduan-response-times-kelurahan.csv'));
    $('rt-csv-breaches').addEventListener('click', () => download(`/api/v1/oversight/breaches?format=csv&${period()}`, 'aduan-breaches.csv'));
  }
  void load();
}
