import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/libs/*/src/**', '../../libs/**'], message: 'Import another lib through its @aduan/<lib> alias.' }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    // Response bodies in tests are read as JSON of any shape; assertions pin what matters.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // A lib's public face names what other libs and the apps use; `export *` would publish its internals.
  {
    files: ['libs/{platform,directory,audit,routing,sla,notifications}/src/index.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export by name what other libs and the apps use.' }] },
  },
  { files: ['**/*.cjs', 'jest.config.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The resident pages' scripts run in the browser as ES modules (apps/api/src/web/public).
  { files: ['apps/api/src/web/public/**/*.js'], languageOptions: { sourceType: 'module', globals: { ...globals.browser } } },
);
