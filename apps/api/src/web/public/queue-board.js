// Names what Bull Board's own UI leaves unnamed (WCAG 2.1 AA 4.1.2, 2.5.3): its icon-only
// buttons, and the "No workers" badge, whose label does not contain its visible text. The board
// renders with React and polls, so nodes are labelled as they appear. Bahasa Indonesia first.

/** Labels by the lucide icon an unnamed button shows; `%s` is the queue's name when there is one. */
const ICON_LABELS = /** @type {Record<string, [string, string]>} */ ({
  'lucide-ellipsis-vertical': ['Tindakan antrean %s · Actions for queue %s', 'Tindakan lainnya · More actions'],
  'lucide-maximize': ['', 'Layar penuh · Full screen'],
  'lucide-minimize': ['', 'Keluar dari layar penuh · Exit full screen'],
  'lucide-settings': ['', 'Pengaturan · Settings'],
});
const FALLBACK = 'Tombol tanpa nama · Unnamed button';

/** @param {Element} button */
function unnamed(button) {
  return !button.textContent?.trim() && !button.getAttribute('aria-label') && !button.getAttribute('aria-labelledby') && !button.getAttribute('title');
}

/** @param {Element} button */
function queueOf(button) {
  const link = button.closest('li')?.querySelector('a[href*="/queue/"]');
  return link?.textContent?.trim() ?? '';
}

/** @param {Element} button */
function labelFor(button) {
  const icon = [...(button.querySelector('svg')?.classList ?? [])].find((name) => ICON_LABELS[name]);
  if (!icon) return FALLBACK;
  const [inQueue, alone] = ICON_LABELS[icon];
  const queue = queueOf(button);
  return queue && inQueue ? inQueue.replaceAll('%s', queue) : alone;
}

/** @param {ParentNode} root */
function label(root) {
  for (const button of root.querySelectorAll('button')) {
    if (unnamed(button)) button.setAttribute('aria-label', labelFor(button));
    // The badge is labelled with its tooltip only; its name must contain what it shows.
    const shown = button.textContent?.trim() ?? '';
    const name = button.getAttribute('aria-label') ?? '';
    if (shown && name && !name.includes(shown)) button.setAttribute('aria-label', `${shown}: ${name}`);
  }
}

label(document);
new MutationObserver(() => label(document)).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
