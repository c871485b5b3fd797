import { expect } from 'chai';
import { ESLint } from 'eslint';

describe('architecture lint: models/ stays free of frameworks, nothing imports the tests', () => {
  const eslint = new ESLint();
  const lint = async (path: string, code: string) => (await eslint.lintText(code, { filePath: path }))[0]!.messages.map((m) => m.message);

  it('refuses botbuilder, restify, Graph and Azure SDK imports in models/', async () => {
    for (const module of ['botbuilder', 'restify', '@microsoft/microsoft-graph-client', '@azure/msal-node', 'botframework-connector']) {
      const messages = await lint('models/example.ts', `import x from '${module}';\nexport default x;\n`);
      expect(messages.join(), module).to.contain('models/ is the domain');
    }
  });

  it('keeps mongoose out of use cases but allows it in models/mongo/', async () => {
    expect((await lint('models/example.ts', "import m from 'mongoose';\nexport default m;\n")).join()).to.contain('Persistence lives in models/mongo/');
    expect(await lint('models/mongo/example.ts', "import m from 'mongoose';\nexport default m;\n")).to.deep.equal([]);
  });

  it('refuses imports from test/ anywhere outside test/ (product, local mode, benches)', async () => {
    for (const path of ['server.ts', 'bot/example.ts', 'local/example.ts', 'bench/example.ts', 'models/example.ts', 'models/mongo/example.ts']) {
      const messages = await lint(path, "import { x } from './test/helpers/testApp.js';\nimport { y } from '../test/helpers/testApp.js';\nexport default [x, y];\n");
      expect(messages.join(), path).to.contain('never import from test/');
    }
    expect(await lint('test/example.test.ts', "import { x } from './helpers/testApp.js';\nexport default x;\n")).to.deep.equal([]);
  });

  it('the real models/ folder passes', async () => {
    const results = await eslint.lintFiles(['models/**/*.ts']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).to.deep.equal([]);
  });
});
