// The lint rules that matter architecturally: nothing outside test/ imports from test/, and
// models/ is the domain and stays free of frameworks (botbuilder, restify, Graph, Azure SDKs), so we can move to the Teams SDK or
// another host without touching use cases. Mongoose is allowed only under models/mongo/.
import tseslint from 'typescript-eslint';

const frameworks = [
  { group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'models/ is the domain: reach Teams through a port in models/ports.ts, implemented in bot/.' },
  { group: ['restify', 'restify-*'], message: 'models/ is the domain: HTTP belongs in server.ts, bot/ or tab/.' },
  { group: ['@microsoft/*', '@azure/*'], message: 'models/ is the domain: Graph and Azure SDKs belong in adapters/.' },
];
// Tests may use the product and local mode; nothing outside test/ may use the tests.
const noTests = { group: ['**/test/**', '../test', './test'], message: 'Product code, local mode and benches never import from test/: move what they need into local/ or the product.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'tab/web/vendor/**', 'build/**', 'vendor/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['test/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noTests] }] },
  },
  {
    files: ['models/**/*.ts'],
    ignores: ['models/mongo/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...frameworks, noTests, { group: ['mongoose', 'mongodb'], message: 'Persistence lives in models/mongo/ behind the store ports in models/ports/.' }] }],
    },
  },
  {
    files: ['models/mongo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...frameworks, noTests] }] },
  },
);
