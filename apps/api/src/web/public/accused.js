// "This is about an official's conduct" on the complaint form: who (a position at the offices of
// the chosen kelurahan/desa and kecamatan, "don't know", or one written in) and an optional name.
// The position goes to the server in Bahasa Indonesia whatever the page language, with the
// office's unit code, so routing never needs to guess which office is meant.
import { byId, el, onLangChange, setFieldError, t } from './common.js';

/** @typedef {import('../page-types').Accused} Accused */
/** @typedef {'kelurahan' | 'desa'} Level */
/**
 * @typedef {{ office: 'kel'; position: Record<Level, string>; label: Record<Level, string> }
 *   | { office: 'kec'; position: string; label: string }} Position
 */

const $ = byId;

/**
 * Each choice: the words sent as `accused.position`, and which office it belongs to.
 * @type {Record<string, Position | undefined>}
 */
const POSITIONS = {
  'kel:head': { office: 'kel', position: { kelurahan: 'Lurah', desa: 'Kepala Desa' }, label: { kelurahan: 'official.lurah', desa: 'official.kades' } },
  'kel:secretary': { office: 'kel', position: { kelurahan: 'Sekretaris Kelurahan', desa: 'Sekretaris Desa' }, label: { kelurahan: 'official.seklur', desa: 'official.sekdes' } },
  'kel:staff': { office: 'kel', position: { kelurahan: 'Staf Kelurahan', desa: 'Perangkat Desa' }, label: { kelurahan: 'official.staf_kel', desa: 'official.staf_desa' } },
  'kel:rtrw': { office: 'kel', position: { kelurahan: 'Ketua RT/RW', desa: 'Ketua RT/RW' }, label: { kelurahan: 'official.rtrw_kel', desa: 'official.rtrw_desa' } },
  'kec:head': { office: 'kec', position: 'Camat', label: 'official.camat' },
  'kec:secretary': { office: 'kec', position: 'Sekretaris Kecamatan', label: 'official.sekcam' },
  'kec:staff': { office: 'kec', position: 'Staf Kecamatan', label: 'official.staf_kec' },
};

/** The chosen kelurahan/desa and kecamatan: code, name, and whether it is a desa (codes x.2xxx). */
function places() {
  const kel = $('kelurahan', HTMLSelectElement);
  const kec = $('kecamatan', HTMLSelectElement);
  /** @type {Level} */
  const level = kel.value.split('.')[3]?.startsWith('2') ? 'desa' : 'kelurahan';
  const kelurahan = kel.value ? { code: kel.value, name: kel.selectedOptions[0]?.textContent ?? '', level } : null;
  const kecamatan = kec.value ? { code: kec.value, name: kec.selectedOptions[0]?.textContent ?? '' } : null;
  return { kelurahan, kecamatan };
}

function renderPositions() {
  const select = $('accused-position', HTMLSelectElement);
  const keep = select.value;
  const { kelurahan, kecamatan } = places();
  select.replaceChildren(el('option', { value: '' }, kelurahan || kecamatan ? t('common.choose') : t('form.accused_position_wait')));
  if (kelurahan) {
    const group = el('optgroup', { label: t(kelurahan.level === 'desa' ? 'official.group_desa' : 'official.group_kel', { place: kelurahan.name }) });
    for (const [value, p] of Object.entries(POSITIONS)) {
      if (p?.office === 'kel') group.append(el('option', { value }, t(p.label[kelurahan.level], { place: kelurahan.name })));
    }
    select.append(group);
  }
  if (kecamatan) {
    const group = el('optgroup', { label: t('official.group_kec', { place: kecamatan.name }) });
    for (const [value, p] of Object.entries(POSITIONS)) if (p?.office === 'kec') group.append(el('option', { value }, t(p.label, { place: kecamatan.name })));
    select.append(group);
  }
  select.append(el('option', { value: 'unknown' }, t('official.unknown')), el('option', { value: 'other' }, t('official.other')));
  select.value = [...select.options].some((o) => o.value === keep) ? keep : '';
  $('accused-other-field').hidden = select.value !== 'other';
}

function render() {
  const on = aboutOfficial();
  $('official-who').hidden = !on;
  // Once ticked, the notice above says the same: one explanation on the screen is enough.
  $('about-official-hint').hidden = on;
  $('about-official', HTMLInputElement).setAttribute('aria-expanded', String(on));
  renderPositions();
}

/** Whether the resident says the complaint is about an official's conduct. */
export function aboutOfficial() {
  return $('about-official', HTMLInputElement).checked;
}

/**
 * Ticks (and holds) the box for a category about an official's conduct; releases it otherwise.
 * @param {boolean} implied
 */
export function impliedByCategory(implied) {
  const box = $('about-official', HTMLInputElement);
  if (implied && !box.disabled) {
    box.dataset.before = String(box.checked);
    box.checked = true;
  } else if (!implied && box.disabled) {
    box.checked = box.dataset.before === 'true';
  }
  box.disabled = implied;
  render();
}

/**
 * `accused` for the request body, or undefined when the box is not ticked.
 * @returns {Accused | undefined}
 */
export function accusedBody() {
  if (!aboutOfficial()) return undefined;
  const choice = $('accused-position', HTMLSelectElement).value;
  const { kelurahan, kecamatan } = places();
  /** @type {Accused} */
  const accused = {};
  const p = POSITIONS[choice];
  if (p?.office === 'kel' && kelurahan) {
    accused.position = p.position[kelurahan.level];
    accused.unit = `KEL.${kelurahan.code}`;
  } else if (p?.office === 'kec' && kecamatan) {
    accused.position = p.position;
    accused.unit = `KEC.${kecamatan.code}`;
  } else if (choice === 'unknown') {
    accused.position = 'Tidak diketahui';
  } else if (choice === 'other') {
    accused.position = $('accused-other', HTMLInputElement).value.trim();
  }
  const name = $('accused-name', HTMLInputElement).value.trim();
  if (name) accused.name = name;
  return accused;
}

/**
 * The checks the server would make, as [field, string key] pairs.
 * @returns {[string, string][]}
 */
export function accusedErrors() {
  if (!aboutOfficial()) return [];
  const choice = $('accused-position', HTMLSelectElement).value;
  if (!choice) return [['accused-position', 'valid.accused_position']];
  if (choice === 'other' && !$('accused-other', HTMLInputElement).value.trim()) return [['accused-other', 'valid.accused_other']];
  return [];
}

/**
 * Wires the box and the pickers; `changed` runs when the box flips (the form locks privacy then).
 * @param {() => void} changed
 */
export function initAccused(changed) {
  $('about-official', HTMLInputElement).addEventListener('change', () => {
    render();
    changed();
  });
  $('accused-position', HTMLSelectElement).addEventListener('change', () => {
    setFieldError('accused-position', '');
    $('accused-other-field').hidden = $('accused-position', HTMLSelectElement).value !== 'other';
    if (!$('accused-other-field').hidden) $('accused-other', HTMLInputElement).focus();
  });
  for (const id of ['tenant', 'kecamatan', 'kelurahan']) $(id).addEventListener('change', renderPositions);
  onLangChange(renderPositions);
  render();
}
