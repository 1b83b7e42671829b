// Entry point for `cdk synth` in this folder (see cdk.json); `npm run platform` uses main.ts.
import { buildPlatformApp } from './app';

buildPlatformApp();
