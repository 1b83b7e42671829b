// The supported range of the peer dependencies, as the package declares it:
// `node versions.js floor|newest` prints "aws-cdk-lib@V constructs@V cdk-nag@V".
// floor: the lowest version each peer range allows (package.json
// peerDependencies); newest: the version the npm registry serves today.
const { execFileSync } = require('child_process');
const path = require('path');

const PEERS = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
const which = process.argv[2];
const peers = require(path.join(__dirname, '..', '..', 'package.json')).peerDependencies;

function floor(name) {
  const m = /^\^?(\d+\.\d+\.\d+)$/.exec(peers[name] ?? '');
  if (!m) throw new Error(`package.json peerDependencies.${name} is "${peers[name]}": expected ^X.Y.Z`);
  return m[1];
}

function newest(name) {
  return execFileSync('npm', ['view', name, 'version'], { encoding: 'utf8' }).trim();
}

if (which !== 'floor' && which !== 'newest') {
  process.stderr.write('usage: node test/range/versions.js floor|newest\n');
  process.exit(2);
}
process.stdout.write(PEERS.map((name) => `${name}@${which === 'floor' ? floor(name) : newest(name)}`).join(' ') + '\n');
