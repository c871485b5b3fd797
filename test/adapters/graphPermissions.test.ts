/**
 * The app's table of Graph operations agrees with what Graph accepts (the stand-in's rules,
 * transcribed from each operation's Microsoft Learn page), the manifest declares exactly the RSC
 * permissions the table relies on, and the README shows the table as it is in the code.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { applicationPermissions, BOT_RSC, GRAPH_OPERATIONS, manifestRsc, permissionHint, permissionTableMarkdown, setupGrants, type GraphOperationName } from '../../adapters/graph/permissions.js';
import { allows, ruleFor } from '../../local/standins/graphPermissions.js';
import { buildManifest } from '../../manifest/build.js';
import { loadConfig } from '../../config.js';

const names = Object.keys(GRAPH_OPERATIONS) as GraphOperationName[];

/** A concrete request path for an operation's documented template. */
function samplePath(request: string): { method: string; path: string } {
  const [method, template] = request.split(' ') as [string, string];
  return { method, path: `/v1.0${template.split('?')[0]!.replace(/\{[^}]+\}/g, 'x')}` };
}

describe('Graph permissions: one table, checked against what Graph accepts', () => {
  for (const name of names) {
    it(`${name}: what the setup grants, and the application alternative, are both accepted by "${GRAPH_OPERATIONS[name].page}"`, () => {
      const op = GRAPH_OPERATIONS[name];
      const { method, path } = samplePath(op.request);
      const rule = ruleFor(method, path);
      expect(rule, `the stand-in serves ${op.request}`).to.not.equal(undefined);
      expect(rule!.page).to.equal(op.page);
      expect(allows(rule!, new Set(applicationPermissions(op))), 'the application permission(s) alone').to.equal(true);
      if ('rsc' in op && op.rsc) expect(allows(rule!, new Set([op.rsc])), 'the RSC permission alone').to.equal(true);
      for (const permission of applicationPermissions(op)) expect(permissionHint(name)).to.contain(permission);
    });
  }

  it('the setup grants one permission per operation, RSC where the page lists one', () => {
    for (const grant of setupGrants()) expect((BOT_RSC as readonly string[]).includes(grant) || names.some((n) => [...applicationPermissions(GRAPH_OPERATIONS[n]), (GRAPH_OPERATIONS[n] as { rsc?: string }).rsc].includes(grant)), grant).to.equal(true);
    expect(setupGrants()).to.include('TeamsTab.Read.Group').and.include('TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All').and.include('ChannelSettings.ReadWrite.All');
  });

  it('the manifest declares exactly the RSC permissions the table relies on (at most 16)', async () => {
    const manifest = (await buildManifest(loadConfig({}))) as { authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } } };
    const declared = manifest.authorization.permissions.resourceSpecific;
    expect(declared.map((p) => p.name).sort()).to.deep.equal(manifestRsc().sort());
    expect(declared.every((p) => p.type === 'Application')).to.equal(true);
    expect(declared.length).to.be.at.most(16);
  });

  it('the README shows the permission table as the code has it', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /<!-- permissions:start[^>]*-->\n([\s\S]*?)\n\s*<!-- permissions:end -->/.exec(readme)?.[1];
    expect(block, 'the marked table in the README').to.be.a('string');
    expect(block!.split('\n').map((l) => l.trim()).join('\n')).to.equal(permissionTableMarkdown());
  });
});
