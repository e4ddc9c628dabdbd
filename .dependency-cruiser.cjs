/**
 * The boundaries of docs/architecture.md (Where things live), checked by machine:
 * platform ← directory ← audit ← complaints ← routing, sla, notifications; no lib imports
 * an app; no cycles.
 */
const LAYERS = ['platform', 'directory', 'audit', 'complaints', 'routing', 'sla', 'notifications'];
const below = { platform: [], directory: ['platform'], audit: ['platform', 'directory'] };
below.complaints = [...below.audit, 'audit'];
below.routing = [...below.complaints, 'complaints'];
below.sla = [...below.complaints, 'complaints'];
below.notifications = [...below.complaints, 'complaints'];

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'libs-never-import-apps', severity: 'error', from: { path: '^libs/' }, to: { path: '^apps/' } },
    ...LAYERS.map((lib) => ({
      name: `${lib}-dependency-direction`,
      comment: `${lib} may only use ${below[lib].join(', ') || 'no other lib'}`,
      severity: 'error',
      from: { path: `^libs/${lib}/` },
      to: { path: `^libs/(?!(${[lib, ...below[lib]].join('|')})/)` },
    })),
    {
      name: 'across-libs-only-through-index',
      severity: 'error',
      from: { path: '^(libs|apps)/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/[^/]+/src/index\\.ts$', '^$1/$2/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
