// Jest, as package.json configures it, with the peer dependencies taken from
// another install (RANGE_DIR/node_modules): every require of aws-cdk-lib,
// constructs and cdk-nag, from the library, the tests and the packages they
// load alike, reaches that install. Used by test/range/run.sh.
const path = require('path');

const root = path.join(__dirname, '..', '..');
const dir = process.env.RANGE_DIR;
if (!dir) throw new Error('RANGE_DIR: the folder whose node_modules holds the aws-cdk-lib, constructs and cdk-nag to test against');
const modules = path.join(dir, 'node_modules');

module.exports = {
  ...require(path.join(root, 'package.json')).jest,
  rootDir: root,
  collectCoverage: false,
  reporters: ['default'],
  moduleNameMapper: {
    '^aws-cdk-lib$': path.join(modules, 'aws-cdk-lib'),
    '^aws-cdk-lib/(.*)$': path.join(modules, 'aws-cdk-lib', '$1'),
    '^constructs$': path.join(modules, 'constructs'),
    '^cdk-nag$': path.join(modules, 'cdk-nag'),
  },
};
