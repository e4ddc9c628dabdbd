// /statistik: the public response-time figures of a kota/kabupaten. Its own small dictionary keeps
// the page light; the language choice is the resident pages' (localStorage 'aduan.lang').

/** @typedef {import('../page-types').PublicStatistics} PublicStatistics */
/** @typedef {import('../page-types').PublicFigures} PublicFigures */
/** @typedef {import('../page-types').TenantView} TenantView */
/** @typedef {'id' | 'en'} Lang */

const S = {
  id: {
    title: 'Statistik tanggapan · Aduan', skip: 'Langsung ke isi', nav_file: 'Sampaikan pengaduan', lang: 'English',
    heading: 'Seberapa cepat pengaduan ditanggapi',
    intro: 'Angka 90 hari terakhir untuk setiap kantor kelurahan/desa, kecamatan dan OPD: berapa lama sampai tanggapan pertama, berapa yang ditanggapi tepat waktu, berapa yang selesai, dan penilaian warga.',
    tenant: 'Kota/kabupaten', summary: 'Seluruh kantor', period: '{from} sampai {to}',
    group_kelurahan: 'Kantor kelurahan/desa', group_kecamatan: 'Kantor kecamatan', group_opd: 'Perangkat daerah (OPD) dan Inspektorat',
    search: 'Cari kelurahan/desa atau kecamatan', shown: '{n} dari {all} kantor ditampilkan',
    office: 'Kantor', kecamatan: 'Kecamatan', received: 'Diterima', median: 'Tanggapan pertama (nilai tengah)', within: 'Tepat waktu',
    finished: 'Selesai', rating: 'Penilaian warga', total: 'Jumlah', days: '{n} hari kerja', ratings: '{mean} dari 5 ({n} penilaian)', none: 'belum ada',
    hidden: '—', hidden_label: 'disembunyikan', caption: 'Tabel {what}, 90 hari terakhir',
    notes: 'Cara membaca',
    note_received: 'Diterima: pengaduan yang masuk ke kantor itu (termasuk yang diteruskan atau dilimpahkan kepadanya).',
    note_median: 'Tanggapan pertama: nilai tengah lama sampai kantor pertama kali menanggapi, dalam hari kerja (0 = hari yang sama).',
    note_within: 'Tepat waktu: bagian tanggapan pertama yang diberikan sebelum batas waktunya.',
    note_hidden: '— berarti disembunyikan: jumlah di bawah 5 tidak ditampilkan agar warga tidak dapat dikenali, dan beberapa angka lain ikut disembunyikan agar angka kecil itu tidak dapat dihitung dari total.',
    note_private: 'Isi pengaduan tidak pernah ditampilkan. Pengaduan rahasia ikut dihitung. Pengaduan tentang petugas dihitung pada kantor yang menanganinya, bukan kantor petugas yang diadukan.',
    json: 'Data yang sama dalam JSON', loading: 'Memuat…', error: 'Angka tidak dapat dimuat. Periksa koneksi lalu muat ulang halaman.',
  },
  en: {
    title: 'Response statistics · Aduan', skip: 'Skip to content', nav_file: 'File a complaint', lang: 'Bahasa Indonesia',
    heading: 'How fast complaints are answered',
    intro: 'Figures for the last 90 days for every kelurahan/desa office, kecamatan and OPD: how long until the first response, how many were answered on time, how many were finished, and residents\' ratings.',
    tenant: 'City/regency', summary: 'All offices', period: '{from} to {to}',
    group_kelurahan: 'Kelurahan/desa offices', group_kecamatan: 'Kecamatan offices', group_opd: 'Agencies (OPD) and the Inspektorat',
    search: 'Find a kelurahan/desa or kecamatan', shown: '{n} of {all} offices shown',
    office: 'Office', kecamatan: 'Kecamatan', received: 'Received', median: 'First response (median)', within: 'On time',
    finished: 'Finished', rating: 'Residents\' rating', total: 'Total', days: '{n} working days', ratings: '{mean} of 5 ({n} ratings)', none: 'none yet',
    hidden: '—', hidden_label: 'hidden', caption: '{what} table, last 90 days',
    notes: 'How to read this',
    note_received: 'Received: complaints that came to the office (including those forwarded or escalated to it).',
    note_median: 'First response: the median time until the office first responded, in working days (0 = the same day).',
    note_within: 'On time: the share of first responses given before their deadline.',
    note_hidden: '— means hidden: counts under 5 are not shown so that no resident can be recognised, and some other figures are hidden too so that a small count cannot be worked out from the totals.',
    note_private: 'No complaint\'s text is ever shown. Confidential complaints are counted. Complaints about an official are counted at the office that handled them, not the office of the official complained about.',
    json: 'The same figures as JSON', loading: 'Loading…', error: 'The figures could not be loaded. Check your connection and reload the page.',
  },
};

/** @type {Lang} */
let lang = 'id';
try {
  lang = localStorage.getItem('aduan.lang') === 'en' ? 'en' : 'id';
} catch {
  // No storage: Bahasa Indonesia.
}
/** @type {PublicStatistics | null} */
let data = null;

/**
 * @param {keyof typeof S.id} key
 * @param {Record<string, string | number>} [vars]
 */
function t(key, vars = {}) {
  return S[lang][key].replace(/\{(\w+)\}/g, (_, /** @type {string} */ name) => String(vars[name] ?? ''));
}

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {string} tag
 * @param {string} [text]
 * @param {string} [className]
 */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const num = (/** @type {number} */ n, digits = 0) => new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: digits }).format(n);

/** A hidden figure: a dash, read out as "hidden". */
function hiddenMark() {
  const span = el('span');
  span.append(el('span', t('hidden'), ''), el('span', t('hidden_label'), 'visually-hidden'));
  /** @type {HTMLElement} */ (span.firstChild).setAttribute('aria-hidden', 'true');
  return span;
}

/**
 * The cells of one row of figures, in column order.
 * @param {PublicFigures} f
 * @returns {(string | Node)[]}
 */
function cells(f) {
  const off = (/** @type {'received' | 'finished' | 'ratings'} */ m) => f.hidden.includes(m);
  const within = () => {
    if (f.first_response_within_share === null) return t('none');
    const wrap = el('span', `${num(f.first_response_within_share * 100)}%`);
    const bar = el('span', undefined, 'bar-cell');
    const fill = el('span');
    fill.style.width = `${Math.round(f.first_response_within_share * 100)}%`;
    bar.append(fill);
    bar.setAttribute('aria-hidden', 'true');
    wrap.append(bar);
    return wrap;
  };
  return [
    off('received') ? hiddenMark() : num(f.received ?? 0),
    off('received') ? hiddenMark() : f.first_response_median_working_days === null ? t('none') : t('days', { n: num(f.first_response_median_working_days, 1) }),
    off('received') ? hiddenMark() : within(),
    off('finished') ? hiddenMark() : num(f.finished ?? 0),
    off('ratings') ? hiddenMark() : f.rating_mean === null ? t('none') : t('ratings', { mean: num(f.rating_mean, 1), n: num(f.ratings ?? 0) }),
  ];
}

/**
 * @param {HTMLElement} holder
 * @param {PublicStatistics['groups'][number]} group
 * @param {string} title
 */
function table(holder, group, title) {
  const withKecamatan = group.group === 'kelurahan';
  const heads = [t('office'), ...(withKecamatan ? [t('kecamatan')] : []), t('received'), t('median'), t('within'), t('finished'), t('rating')];
  const tableEl = el('table');
  tableEl.append(el('caption', t('caption', { what: title })));
  const head = el('thead');
  const headRow = el('tr');
  heads.forEach((h, i) => {
    const th = el('th', h, i < (withKecamatan ? 2 : 1) ? 'text' : undefined);
    th.setAttribute('scope', 'col');
    headRow.append(th);
  });
  head.append(headRow);
  const body = el('tbody');
  /**
   * @param {HTMLElement} tr
   * @param {(string | Node)[]} values
   */
  const fill = (tr, values) =>
    values.forEach((v, i) => {
      const td = el('td');
      td.dataset.label = heads[i + heads.length - values.length];
      td.append(v);
      tr.append(td);
    });
  for (const u of group.units) {
    const tr = el('tr');
    tr.dataset.search = `${u.name} ${u.kecamatan ?? ''}`.toLowerCase();
    const name = el('th', u.name, 'text');
    name.setAttribute('scope', 'row');
    tr.append(name);
    if (withKecamatan) {
      const k = el('td', (u.kecamatan ?? '').replace(/^Kecamatan /, ''), 'text');
      k.dataset.label = t('kecamatan');
      tr.append(k);
    }
    fill(tr, cells(u));
    body.append(tr);
  }
  const foot = el('tfoot');
  const totalRow = el('tr');
  const totalHead = el('th', t('total'), 'text');
  totalHead.setAttribute('scope', 'row');
  if (withKecamatan) totalHead.setAttribute('colspan', '2');
  totalRow.append(totalHead);
  fill(totalRow, cells(group.total));
  foot.append(totalRow);
  tableEl.append(head, body, foot);
  holder.replaceChildren(tableEl);
}

function filter() {
  const q = /** @type {HTMLInputElement} */ ($('search')).value.trim().toLowerCase();
  const rows = [...$('table-kelurahan').querySelectorAll('tbody tr')];
  let shown = 0;
  for (const row of rows) {
    const match = !q || (/** @type {HTMLElement} */ (row).dataset.search ?? '').includes(q);
    /** @type {HTMLElement} */ (row).hidden = !match;
    if (match) shown++;
  }
  $('search-count').textContent = t('shown', { n: num(shown), all: num(rows.length) });
}

function render() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-s]')) node.textContent = t(/** @type {keyof typeof S.id} */ (/** @type {HTMLElement} */ (node).dataset.s));
  document.title = t('title');
  $('lang-switch').textContent = t('lang');
  $('lang-switch').lang = lang === 'id' ? 'en' : 'id';
  if (!data) return;
  const date = (/** @type {string} */ iso) => new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(new Date(iso));
  $('tenant-name').textContent = data.tenant.name;
  $('period').textContent = t('period', { from: date(data.from), to: date(new Date(new Date(data.to).getTime() - 1).toISOString()) });
  const summary = $('summary');
  summary.replaceChildren();
  const labels = [t('received'), t('median'), t('within'), t('finished'), t('rating')];
  cells(data.total).forEach((value, i) => {
    const item = el('div');
    const dd = el('dd');
    dd.append(value);
    item.append(el('dt', labels[i]), dd);
    summary.append(item);
  });
  const titles = { kelurahan: t('group_kelurahan'), kecamatan: t('group_kecamatan'), opd: t('group_opd') };
  for (const group of data.groups) table($(`table-${group.group}`), group, titles[group.group]);
  filter();
}

/** @param {string} code */
async function load(code) {
  $('status').textContent = t('loading');
  /** @type {HTMLAnchorElement} */ ($('json-link')).href = `/api/v1/statistics?tenant=${encodeURIComponent(code)}`;
  try {
    const response = await fetch(`/api/v1/statistics?tenant=${encodeURIComponent(code)}`, { credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (!response.ok) throw new Error(String(response.status));
    data = /** @type {PublicStatistics} */ (await response.json());
    $('status').textContent = '';
    $('figures').hidden = false;
    render();
  } catch {
    $('status').textContent = t('error');
  }
}

async function start() {
  render();
  $('lang-switch').addEventListener('click', () => {
    lang = lang === 'id' ? 'en' : 'id';
    try {
      localStorage.setItem('aduan.lang', lang);
    } catch {
      // The switch still works for this page.
    }
    render();
  });
  $('search').addEventListener('input', filter);
  const select = /** @type {HTMLSelectElement} */ ($('tenant'));
  try {
    const response = await fetch('/api/v1/tenants', { credentials: 'omit', referrerPolicy: 'no-referrer' });
    /** @type {TenantView[]} */
    const tenants = await response.json();
    for (const tenant of tenants) select.append(new Option(tenant.name, tenant.code));
  } catch {
    $('status').textContent = t('error');
    return;
  }
  const wanted = decodeURIComponent(location.hash.slice(1));
  if ([...select.options].some((o) => o.value === wanted)) select.value = wanted;
  select.addEventListener('change', () => {
    history.replaceState(null, '', `#${select.value}`);
    void load(select.value);
  });
  await load(select.value);
}

void start();
