export * from './lib/src/pulumi';
