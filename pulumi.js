// `require('canarykit/pulumi')`: see src/pulumi.ts.
module.exports = require('./lib/src/pulumi');
