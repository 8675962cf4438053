// One measurement in a fresh process: `node run-one.cjs <deep|barrel> <N> <outdir>`.
// Builds N service stacks with the compiled @paver/cdktf (cdktf/dist), synthesizes them to disk,
// and prints {"services", "style", "maxRssMb"} as JSON. Wall time is measured by the parent.
const Module = require('node:module');
const path = require('node:path');

const [style, count, outdir] = process.argv.slice(2);
const dist = path.resolve(__dirname, '../../cdktf/dist');

if (style === 'barrel') {
  // Swap the one adapter module for the barrel version: every other file of the library is unchanged.
  const barrel = path.join(__dirname, 'barrel-adapter.cjs');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (
      parent?.filename?.startsWith(dist) &&
      /^\.\.?(\/\.\.)*\/cdk$/.test(request)
    )
      return barrel;
    return resolve.call(this, request, parent, ...rest);
  };
} else if (style !== 'deep') {
  throw new Error(`style must be deep or barrel, got ${style}`);
}

const { App, DomainService, ServiceStack } = require(dist);
const app = new App({ outdir });
for (let i = 0; i < Number(count); i++) {
  const name = `service-${String(i).padStart(3, '0')}`;
  const stack = new ServiceStack(app, name, { githubOrg: 'acme' });
  new DomainService(stack, 'service', {
    name,
    owner: 'group:default/payments',
    githubOrg: 'acme',
    datastore: 'postgres',
    lifecycle: 'production',
    awsAccountId: '123456789012',
  });
}
app.synth();
process.stdout.write(
  JSON.stringify({
    style,
    services: Number(count),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
