// Lint: typescript-eslint's type-aware rules plus import boundaries between layers
// (gemini-cli keeps ink out of its core package the same way). A layer that imports what it
// must not is a lint error, so `npm test` proves the architecture.
import tseslint from 'typescript-eslint';

const ui = ['ink', 'ink/*', 'react', 'react/*', 'ink-testing-library'];
const prompts = ['@inquirer/*', 'inquirer'];
const ssh = ['ssh2', 'ssh2/*'];
const exec = ['execa'];

/** @param {string[]} groups @param {string} why */
function forbid(groups, why) {
  return ['error', { patterns: [{ group: groups, message: why }] }];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'eslint.config.js', 'vitest.config.ts', 'test/**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  // One block per layer (flat config: a later block for the same rule replaces an earlier one,
  // so the layers' file globs must not overlap).
  {
    files: ['src/inventory/**', 'src/catalogue/**', 'src/plan/**', 'src/verify/**'],
    rules: {
      'no-restricted-imports': forbid(
        [...ui, ...prompts, ...ssh, ...exec, '**/ui/**', '**/prompts/**', '**/transport/**', '**/commands/**', '**/session/**'],
        'pure layers (inventory, catalogue, plan, verify) may not import UI, prompts, transports or sessions',
      ),
    },
  },
  {
    files: ['src/session/**'],
    rules: {
      'no-restricted-imports': forbid(
        [...ui, ...prompts, ...ssh, '**/ui/**', '**/prompts/**', '**/transport/**', '**/commands/**'],
        'the session journal knows nothing of UI, prompts or transports',
      ),
    },
  },
  {
    files: ['src/transport/**'],
    rules: {
      'no-restricted-imports': forbid(
        [...ui, ...prompts, '**/ui/**', '**/prompts/**', '**/commands/**'],
        'transports know nothing of the UI: they report through callbacks',
      ),
    },
  },
  {
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': forbid(
        [...ssh, ...exec, ...prompts, '**/transport/**', '**/prompts/**', '**/commands/**'],
        'the UI renders state; it never opens SSH or runs processes itself',
      ),
    },
  },
  {
    files: ['src/prompts/**'],
    rules: {
      'no-restricted-imports': forbid([...ui, ...ssh, ...exec, '**/ui/**', '**/transport/**'], 'prompts only ask'),
    },
  },
  {
    // Commands load ink, react and ssh2 only through dynamic import(), so `plan` stays light.
    files: ['src/cli.ts', 'src/commands/**', 'src/lab/**', 'src/runner/**'],
    rules: {
      'no-restricted-imports': forbid([...ui], 'only src/ui imports ink or react; commands load it with import()'),
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
