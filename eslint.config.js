// The one lint rule that matters architecturally: models/ is the domain and stays free of
// frameworks (botbuilder, restify, Graph, Azure SDKs), so we can move to the Teams SDK or
// another host without touching use cases. Mongoose is allowed only under models/mongo/.
import tseslint from 'typescript-eslint';

const frameworks = [
  { group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'models/ is the domain: reach Teams through a port in models/ports.ts, implemented in bot/.' },
  { group: ['restify', 'restify-*'], message: 'models/ is the domain: HTTP belongs in server.ts, bot/ or tab/.' },
  { group: ['@microsoft/*', '@azure/*'], message: 'models/ is the domain: Graph and Azure SDKs belong in bot/ adapters.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'tab/web/vendor/**', 'build/**', 'vendor/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['models/**/*.ts'],
    ignores: ['models/mongo/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...frameworks, { group: ['mongoose', 'mongodb'], message: 'Persistence lives in models/mongo/ behind the IncidentStore port.' }] }],
    },
  },
  {
    files: ['models/mongo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: frameworks }] },
  },
);
